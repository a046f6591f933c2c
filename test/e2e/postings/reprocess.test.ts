/**
 * Issue 14: a payroll cancelled and then processed again in Gusto (same uuid) is posted again as a new
 * generation — `[gusto:<uuid>/2]` — exactly once, whatever the duplicates; the first generation keeps
 * `[gusto:<uuid>]` and the audit trail shows both. The restart cases: books-restart.test.ts.
 */
import {
  postedThenReversed,
  postingIdOf,
  postingWithStatus,
  postingWorld,
  specMapping,
  tagged,
  waitFor,
  withDuplicateWebhooks,
  type PostingWorld,
} from './support';

describe('re-processing e2e', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('posted → cancelled (reversed) → processed again: a second journal [gusto:<uuid>/2], exactly once under duplicate webhooks', async () => {
    const payroll = await postedThenReversed(world);
    await withDuplicateWebhooks(world, () => world.gusto.scenario.processPayrollAgain(payroll.uuid));
    const posting = await waitFor('generation 2 posted', async () => {
      const res = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`);
      return res.body.status === 'posted' && res.body.journal?.tag === `gusto:${payroll.uuid}/2` ? res.body : null;
    });
    expect(posting.journal.header.description.endsWith(`[gusto:${payroll.uuid}/2]`)).toBe(true);
    expect(tagged(world, `gusto:${payroll.uuid}`)).toHaveLength(1);
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(1);
    expect(tagged(world, `gusto-reversal:${payroll.uuid}`)).toHaveLength(1);
    expect(posting.acumatica.batchNbr).toBe(tagged(world, `gusto:${payroll.uuid}/2`)[0].BatchNbr);

    // A poll (and any later duplicate) changes nothing: the second generation is live.
    const sync = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
    expect([200, 202]).toContain(sync.status);
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(1);

    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    const types = trail.body.items.map((e: any) => e.type);
    expect(types.filter((t: string) => t === 'PostingReprocessed')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'JournalCreated')).toHaveLength(2);
    expect(types).toContain('PayrollReversed');
  });

  it('cancelled (reversed) → processed again with its payroll.processed lost: the poll re-requests it, generation 2 posts once', async () => {
    const payroll = await postedThenReversed(world);
    world.gusto.scenario.processPayrollAgain(payroll.uuid, { webhook: false });
    await world.gusto.scenario.webhooksIdle();
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(0);

    const sync = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
    expect(sync.status).toBe(200);
    expect(sync.body.reprocessed).toEqual([payroll.uuid]);
    const posting = await waitFor('generation 2 posted after the poll', async () => {
      const res = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`);
      return res.body.status === 'posted' && res.body.journal?.tag === `gusto:${payroll.uuid}/2` ? res.body : null;
    });
    expect(posting.trigger).toBe('poll');
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(1);

    // The next poll finds a live generation: nothing is requested again.
    const again = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
    expect(again.status).toBe(200);
    expect(again.body.reprocessed).toBeUndefined();
    expect(again.body.alreadyKnown).toBeGreaterThanOrEqual(1);
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(1);
  });

  it('cancelled before posting → processed again: the new generation posts', async () => {
    const blocking = specMapping();
    delete blocking.accounts.netPay;
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, blocking)).status).toBe(200);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
    await postingWithStatus(world, payroll.uuid, 'needs_attention');
    world.gusto.scenario.cancelPayroll(payroll.uuid);
    await postingWithStatus(world, payroll.uuid, 'cancelled');
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, specMapping())).status).toBe(200);
    world.gusto.scenario.processPayrollAgain(payroll.uuid);
    const posting = await postingWithStatus(world, payroll.uuid, 'posted');
    expect(posting.journal.tag).toBe(`gusto:${payroll.uuid}/2`);
    expect(tagged(world, `gusto:${payroll.uuid}`)).toHaveLength(0);
    expect(tagged(world, `gusto:${payroll.uuid}/2`)).toHaveLength(1);
  });
});
