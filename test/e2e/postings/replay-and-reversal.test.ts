import {
  journalsOf,
  postingIdOf,
  postingWithStatus,
  postingWorld,
  reversalsOf,
  specMapping,
  waitFor,
  type PostingWorld,
} from './support';

describe('posting e2e: blocked → fixed → replayed; cancelled after posting → reversed', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    const mapping = specMapping();
    delete mapping.accounts.netPay; // every payroll pays net pay: the posting must block on it
    world = await postingWorld({ mapping });
  });
  afterAll(async () => world?.close());

  it('an unmapped component needs attention naming the key; mapping fixed + replay → exactly 1 journal', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    const blocked = await postingWithStatus(world, payroll.uuid, 'needs_attention', 'posted');
    expect(blocked.status).toBe('needs_attention');
    expect(blocked.lastError.code).toBe('unmapped_component');
    expect(blocked.lastError.message).toContain('netPay');
    expect(blocked.lastError.reasons[0].keys.join(' ')).toContain('netPay');
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);

    const preview = await world.api('POST', `/api/connections/${world.connectionId}/payrolls/${payroll.uuid}/preview`);
    expect(preview.status).toBe(422);
    expect(preview.body.error).toBe('unmapped_component');

    const fixed = await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, specMapping());
    expect(fixed.status).toBe(200);
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/replay`);
    expect(replay.status).toBe(202);
    const posted = await postingWithStatus(world, payroll.uuid, 'posted');
    expect(posted.mappingVersion).toBe(2);
    expect(posted.lastError).toBeUndefined();
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);

    // A second replay of a posted payroll finds the journal; it never creates another.
    expect((await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/replay`)).status).toBe(202);
    await waitFor('re-verified', async () => {
      const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
      const types = trail.body.items.map((e: any) => e.type);
      return types[types.length - 1] === 'PayrollPosted' && types.includes('ExistingJournalFound') ? types : null;
    });
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    const replayed = trail.body.items.find((e: any) => e.type === 'PostingReplayed');
    expect(replayed.data.mappingVersion).toBe(2);
    expect(replayed.metadata.actor).toBe('admin-token');
  });

  it('a payroll cancelled after posting gets exactly one reversing journal', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    const posted = await postingWithStatus(world, payroll.uuid, 'posted');
    world.gusto.scenario.cancelPayroll(payroll.uuid);
    const reversed = await waitFor('reversal', async () => {
      const res = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`);
      return res.body.reversal?.status === 'reversed' ? res.body : null;
    });
    expect(reversed.status).toBe('posted');
    const reversals = reversalsOf(world, payroll.uuid);
    expect(reversals).toHaveLength(1);
    expect(reversed.reversal.batchNbr).toBe(reversals[0]!.BatchNbr);
    expect(reversed.reversal.batchNbr).not.toBe(posted.acumatica.batchNbr);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1); // the original only: `gusto:` does not match `gusto-reversal:`
    const original = journalsOf(world, payroll.uuid)[0] as any;
    const reversing = reversals[0] as any;
    expect(reversing.Details.length).toBe(original.Details.length);

    // Replaying a reversed payroll is refused: it would post it again.
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/replay`);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toBe('posting_reversed');
  });
});
