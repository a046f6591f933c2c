/**
 * Month-end accruals an operator can see, replay, release and reverse (issue 14's remainder), end to end
 * against the sandboxes: the posting's view carries its accruals; a blocked accrual is replayed after the
 * fix; `journal.release` releases them; a payroll cancelled after its accrual was posted gets the accrual and
 * its reversal voided (every account nets to zero), and its second processing its own accrual — exactly once
 * under duplicate webhooks.
 */
import { accrualMapping, runAcrossMonthEnd } from './books-support';
import {
  acumaticaCalls,
  cents,
  postingIdOf,
  postingWhen,
  postingWithStatus,
  postingWorld,
  tagged,
  waitFor,
  withDuplicateWebhooks,
  type PostingWorld,
} from './support';

/** The posting once `ok` holds of its accruals. */
const accrualsWhen = (world: PostingWorld, uuid: string, ok: (accruals: any[]) => boolean, what: string) =>
  postingWhen(world, uuid, what, (p) => Array.isArray(p.accruals) && ok(p.accruals));

describe('accruals in the posting view, released per the mapping', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping({ release: true }) });
  });
  afterAll(async () => world?.close());

  it('GET /api/postings/:id shows month, status and both batches; the list shows them too; both journals released', async () => {
    const before = acumaticaCalls(world);
    const payroll = runAcrossMonthEnd(world);
    await postingWithStatus(world, payroll.uuid, 'posted');
    const posting = await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'posted', 'accrual posted');
    const accrual = tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`);
    const reversal = tagged(world, `gusto-accrual-reversal:${payroll.uuid}:2026-11`);
    expect(accrual).toHaveLength(1);
    expect(reversal).toHaveLength(1);
    expect(posting.accruals).toEqual([
      {
        month: '2026-11',
        status: 'posted',
        days: 11,
        periodDays: 14,
        amount: expect.stringMatching(/^\d+\.\d\d$/),
        accrual: { batchNbr: accrual[0].BatchNbr, status: expect.any(String), released: true },
        reversal: { batchNbr: reversal[0].BatchNbr, status: expect.any(String), released: true },
      },
    ]);
    expect(accrual[0].Status).toBe(posting.accruals[0].accrual.status);
    // payroll journal + accrual + reversal: three creates, three releases
    const calls = acumaticaCalls(world);
    expect(calls.creates - before.creates).toBe(3);
    expect(calls.releases - before.releases).toBe(3);

    const list = await world.api('GET', `/api/postings?connectionId=${world.connectionId}&payrollUuid=${payroll.uuid}`);
    expect(list.body.items[0].accruals).toEqual(posting.accruals);
  });
});

describe('a blocked accrual, replayed after the fix', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping({ account: false }) });
  });
  afterAll(async () => world?.close());

  it('no accruedPayroll account: the view and the list say needs_attention with the reason; mapped + replayed → posted, once', async () => {
    const payroll = runAcrossMonthEnd(world);
    await postingWithStatus(world, payroll.uuid, 'posted');
    const blocked = await accrualsWhen(
      world,
      payroll.uuid,
      (a) => a[0]?.status === 'needs_attention',
      'accrual blocked',
    );
    expect(blocked.status).toBe('posted');
    expect(blocked.accruals[0]).toMatchObject({
      month: '2026-11',
      status: 'needs_attention',
      lastError: expect.stringMatching(/accruedPayroll/),
    });
    const list = await world.api('GET', `/api/postings?connectionId=${world.connectionId}`);
    expect(list.body.items.find((p: any) => p.payrollUuid === payroll.uuid).accruals[0].status).toBe('needs_attention');

    const early = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/accruals/2026-10/replay`);
    expect(early.status).toBe(404);
    expect(early.body.code ?? early.body.error).toBe('accrual_not_found');
    const bad = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/accruals/november/replay`);
    expect(bad.status).toBe(400);

    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, accrualMapping())).status).toBe(
      200,
    );
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/accruals/2026-11/replay`);
    expect(replay.status).toBe(202);
    const posted = await accrualsWhen(
      world,
      payroll.uuid,
      (a) => a[0]?.status === 'posted',
      'accrual posted after the replay',
    );
    expect(posted.accruals[0].accrual.batchNbr).toBe(
      tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)[0].BatchNbr,
    );
    expect(tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)).toHaveLength(1);
    expect(tagged(world, `gusto-accrual-reversal:${payroll.uuid}:2026-11`)).toHaveLength(1);

    const again = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/accruals/2026-11/replay`);
    expect(again.status).toBe(409);
    const doc = await world.api('GET', '/docs-json', undefined, {});
    expect(Object.keys(doc.body.paths['/api/postings/{id}/accruals/{month}/replay'])).toEqual(['post']);
    const audit = await world.api('GET', `/api/audit/events?connectionId=${world.connectionId}&type=AccrualReplayed`);
    expect(audit.body.items.filter((e: any) => e.stream.includes(payroll.uuid))).toHaveLength(1);
  });

  it('skipped for a closed period: once the period is open, the replay posts it', async () => {
    world.acumatica.knobs.closedPeriods.add('112026');
    const payroll = runAcrossMonthEnd(world, 1);
    await postingWithStatus(world, payroll.uuid, 'posted');
    const skipped = await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'skipped', 'accrual skipped');
    expect(skipped.accruals[0].accrual.skipped).toMatch(/financial period 2026-11 is closed/);
    world.acumatica.knobs.closedPeriods.delete('112026');
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/accruals/2026-11/replay`);
    expect(replay.status).toBe(202);
    await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'posted', 'accrual posted after the period opened');
    expect(tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)).toHaveLength(1);
    expect(tagged(world, `gusto-accrual-reversal:${payroll.uuid}:2026-11`)).toHaveLength(1);
  });
});

describe('a payroll cancelled after its accrual was posted, then processed again', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping() });
  });
  afterAll(async () => world?.close());

  it('voids the accrual and its reversal (each month nets to zero); generation 2 gets its own accrual; exactly once under duplicate webhooks', async () => {
    const payroll = runAcrossMonthEnd(world);
    await postingWithStatus(world, payroll.uuid, 'posted');
    await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'posted', 'accrual posted');

    await withDuplicateWebhooks(world, () => world.gusto.scenario.cancelPayroll(payroll.uuid));
    const cancelled = await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'cancelled', 'accrual voided');
    expect(cancelled.reversal.status).toBe('reversed');
    const four = ['gusto-accrual', 'gusto-accrual-reversal', 'gusto-accrual-void', 'gusto-accrual-reversal-void'].map(
      (t) => tagged(world, `${t}:${payroll.uuid}:2026-11`),
    );
    for (const journals of four) expect(journals).toHaveLength(1);
    const [accrual, reversal, accrualVoid, reversalVoid] = four.map((j) => j[0]);
    expect(String(accrualVoid.TransactionDate).slice(0, 10)).toBe('2026-11-30');
    expect(String(reversalVoid.TransactionDate).slice(0, 10)).toBe('2026-12-01');
    expect(cancelled.accruals[0]).toMatchObject({
      status: 'cancelled',
      cancelled: expect.stringMatching(/cancelled in Gusto/),
      voids: { accrual: { batchNbr: accrualVoid.BatchNbr }, reversal: { batchNbr: reversalVoid.BatchNbr } },
    });
    // Every account nets to zero in each month: November (accrual + its void), December (reversal + its void).
    for (const pair of [
      [accrual, accrualVoid],
      [reversal, reversalVoid],
    ]) {
      const net = new Map<string, number>();
      for (const j of pair)
        for (const d of j.Details)
          net.set(d.Account, (net.get(d.Account) ?? 0) + cents(d.DebitAmount) - cents(d.CreditAmount));
      expect([...net.values()].filter((n) => n !== 0)).toEqual([]);
    }

    await withDuplicateWebhooks(world, () => world.gusto.scenario.processPayrollAgain(payroll.uuid));
    const second = await accrualsWhen(
      world,
      payroll.uuid,
      (a) => a.some((x) => x.generation === 2 && x.status === 'posted'),
      'generation 2 accrual posted',
    );
    expect(second.journal.tag).toBe(`gusto:${payroll.uuid}/2`);
    expect(second.accruals.map((a: any) => [a.generation ?? 1, a.month, a.status])).toEqual([
      [1, '2026-11', 'cancelled'],
      [2, '2026-11', 'posted'],
    ]);
    expect(tagged(world, `gusto-accrual:${payroll.uuid}/2:2026-11`)).toHaveLength(1);
    expect(tagged(world, `gusto-accrual-reversal:${payroll.uuid}/2:2026-11`)).toHaveLength(1);
    // generation 1's journals are untouched and were not found as generation 2's
    expect(tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)).toHaveLength(1);
    expect(second.accruals[1].accrual.batchNbr).toBe(
      tagged(world, `gusto-accrual:${payroll.uuid}/2:2026-11`)[0].BatchNbr,
    );

    // The tie-out names both generations: the first voided (not a difference, the months net to zero), the second posted.
    const tie = await world.api(
      'GET',
      `/api/connections/${world.connectionId}/tie-out?from=${payroll.check_date}&to=${payroll.check_date}`,
    );
    const row = tie.body.payrolls.find((p: any) => p.payrollUuid === payroll.uuid);
    expect(row.accruals).toEqual([
      expect.objectContaining({
        month: '2026-11',
        status: 'cancelled',
        voidBatchNbrs: [accrualVoid.BatchNbr, reversalVoid.BatchNbr],
      }),
      expect.objectContaining({ month: '2026-11', generation: 2, status: 'posted' }),
    ]);
    expect(row.differences).toEqual([]);

    // The read model rebuilt from the log shows the same accruals.
    const rebuilt = await world.api('POST', '/api/projections/rebuild');
    expect(rebuilt.status).toBe(200);
    expect((await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`)).body).toEqual(second);
  });
});

describe('a cancellation while the accrual is being posted', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping() });
  });
  afterAll(async () => world?.close());

  it('whatever of the accrual got posted is voided, once each; nothing is left unvoided', async () => {
    const payroll = runAcrossMonthEnd(world);
    await postingWithStatus(world, payroll.uuid, 'posted');
    const puts = () =>
      world.acumatica.requests.filter((r) => r.method === 'PUT' && /JournalTransaction/.test(r.path)).length;
    world.acumatica.knobs.latencyMs = 800;
    try {
      await waitFor('accrual create in flight', async () => puts() >= 2);
      world.gusto.knobs.webhook.duplicates = 1;
      world.gusto.scenario.cancelPayroll(payroll.uuid);
      await world.gusto.scenario.webhooksIdle();
    } finally {
      world.gusto.knobs.webhook.duplicates = 0;
    }
    const view = await accrualsWhen(world, payroll.uuid, (a) => a[0]?.status === 'cancelled', 'accrual cancelled');
    world.acumatica.knobs.latencyMs = 0;
    const count = (t: string) => tagged(world, `${t}:${payroll.uuid}:2026-11`).length;
    expect(count('gusto-accrual')).toBe(1);
    expect(count('gusto-accrual-void')).toBe(1);
    expect(count('gusto-accrual-reversal')).toBeLessThanOrEqual(1);
    // the reversal, if the cancellation came too late to stop it, is voided too; if not, it was never created
    expect(count('gusto-accrual-reversal-void')).toBe(count('gusto-accrual-reversal'));
    expect(view.accruals[0].voids.accrual.batchNbr).toBe(
      tagged(world, `gusto-accrual-void:${payroll.uuid}:2026-11`)[0].BatchNbr,
    );
  });
});
