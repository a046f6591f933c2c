import { acumaticaCalls, journalsOf, postingIdOf, postingWithStatus, postingWorld, type PostingWorld } from './support';

describe('posting e2e: a processed payroll becomes one balanced journal', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('webhook → posted: one journal, 1 lookup + 1 create, audit trail complete', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 3 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting).toMatchObject({
      id: `${world.connectionId}:${payroll.uuid}`,
      connectionId: world.connectionId,
      payrollUuid: payroll.uuid,
      status: 'posted',
      attempts: 1,
    });
    expect(posting.lastError).toBeUndefined();
    expect(posting.acumatica.batchNbr).toEqual(expect.any(String));
    expect(posting.journal.totals.debit).toBe(posting.journal.totals.credit);

    const journals = journalsOf(world, payroll.uuid);
    expect(journals).toHaveLength(1);
    expect(acumaticaCalls(world)).toMatchObject({ lookups: 1, creates: 1, releases: 0 });

    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((e: any) => e.type)).toEqual([
      'PostingRequested',
      'PayrollFetched',
      'JournalBuilt',
      'JournalCreationStarted',
      'JournalCreated',
      'PayrollPosted',
    ]);
    expect(trail.body.items[0].data).toMatchObject({ trigger: 'webhook', sourceEventId: expect.any(String) });
    expect(trail.body.items[0].metadata).toMatchObject({ actor: 'webhook', at: expect.any(String) });
    // JournalCreated and PayrollPosted are one append, caused by the claim made just before the create.
    expect(trail.body.items[5].metadata.causationId).toBe(trail.body.items[3].id);
    expect(new Set(trail.body.items.map((e: any) => e.metadata.correlationId)).size).toBe(1);

    const list = await world.api('GET', `/api/postings?connectionId=${world.connectionId}&status=posted`);
    expect(list.body.items.map((p: any) => p.payrollUuid)).toContain(payroll.uuid);
    expect(list.body).toHaveProperty('next');
  });

  it('duplicate webhook deliveries and a later poll still make exactly one journal', async () => {
    world.gusto.knobs.webhook.duplicates = 3;
    try {
      const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
      await world.gusto.scenario.webhooksIdle();
      await postingWithStatus(world, payroll.uuid, 'posted');
      const sync = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
      expect([200, 202]).toContain(sync.status);
      expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
      const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
      expect(trail.body.items.filter((e: any) => e.type === 'PostingRequested')).toHaveLength(1);
      expect(trail.body.items.filter((e: any) => e.type === 'PayrollPosted')).toHaveLength(1);
    } finally {
      world.gusto.knobs.webhook.duplicates = 0;
    }
  });

  it('preview shows the journal without posting; unknown posting → 404; no token → 401', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2, webhook: false });
    const preview = await world.api('POST', `/api/connections/${world.connectionId}/payrolls/${payroll.uuid}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.lines[0]).toHaveProperty('mappingKey');
    expect(preview.body.totals.debit).toBe(preview.body.totals.credit);
    expect(preview.body.header.description).toContain(`[gusto:${payroll.uuid}]`);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);
    expect((await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`)).status).toBe(404);
    expect((await world.api('GET', '/api/postings', undefined, {})).status).toBe(401);
  });
});
