import { acumaticaCalls, journalsOf, postingIdOf, postingWithStatus, postingWorld, type PostingWorld } from './support';

/** What Acumatica does to us, and how the posting stays exactly once through it. */
describe('posting e2e: faults on the Acumatica side', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());
  afterEach(() => world.acumatica.knobs.clearFaults());

  it('3 × 429 on the create, then success → exactly 1 journal, posted', async () => {
    const before = acumaticaCalls(world);
    world.acumatica.knobs.failNext('PUT', 'JournalTransaction', 3, 429);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    const after = acumaticaCalls(world);
    expect(after.creates - before.creates).toBe(4); // three throttled, one accepted
  });

  it('Acumatica down for longer than the client retries → failed (will retry, from the log) → posted, 1 journal', async () => {
    // The client tries 6 times per call; 8 failures outlast one saga attempt, so the log schedules a retry.
    world.acumatica.knobs.failNext('GET', 'JournalTransaction', 8, 500);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    expect(posting.attempts).toBeGreaterThanOrEqual(2);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    const failed = trail.body.items.find((e: any) => e.type === 'AttemptFailed');
    expect(failed.data).toMatchObject({ step: 'find_journal', retryable: true, nextAttemptAt: expect.any(String) });
  });

  it('create committed but the response dropped → 1 journal, status posted', async () => {
    world.acumatica.knobs.failNext('PUT', 'JournalTransaction', 1, 'commit_then_drop');
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    // Batch numbers only, so a failure reads "two batches" rather than dumping both journals.
    expect(journalsOf(world, payroll.uuid).map((j) => j.BatchNbr)).toHaveLength(1);
    expect(posting.status).toBe('posted');
    expect(posting.acumatica.batchNbr).toBe(journalsOf(world, payroll.uuid)[0]!.BatchNbr);
  });

  it('a closed financial period needs attention, in words an accountant understands; reopening + replay posts it', async () => {
    // Acumatica periods are MMYYYY; close the one the check date falls in before the payroll arrives.
    world.acumatica.knobs.closedPeriods.add('032027');
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1, checkDate: '2027-03-05' });
    const posting = await postingWithStatus(world, payroll.uuid, 'needs_attention', 'posted');
    expect(posting.status).toBe('needs_attention');
    expect(posting.lastError.code).toBe('closed_period');
    expect(posting.lastError.message).toMatch(/financial period is closed/);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);

    world.acumatica.knobs.closedPeriods.clear();
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/replay`);
    expect(replay.status).toBe(202);
    await postingWithStatus(world, payroll.uuid, 'posted');
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
  });
});
