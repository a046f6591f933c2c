/**
 * Issue 14's acceptance, rule by rule: each books rule produces exactly the journals described, exactly
 * once, under duplicate webhooks (every Gusto event delivered three times) AND a restart — the service
 * stopped while a journal create is in flight (Acumatica commits it after the stop) or right after a
 * request was recorded, and started again on the same SQLite file. One case per rule; the flow is shared.
 */
import {
  accrualMapping,
  runAcrossMonthEnd,
  bankLinesOf,
  hireEngineers,
  bankMapping,
  hireBooksCrew,
  outstandingOf,
  withdrawalsOf,
} from './books-support';
import {
  cents,
  journalCreates,
  postedThenReversed,
  postingIdOf,
  postingWhen,
  restartableWorld,
  restartService,
  specMapping,
  tagged,
  waitFor,
  withDuplicateWebhooks,
  type PostingWorld,
} from './support';

type Payroll = { uuid: string; check_date: string; totals: Record<string, string> };

interface RestartCase {
  rule: string;
  mapping: () => Record<string, any>;
  /** What happened before (e.g. generation 1 posted and reversed): the payroll it concerns. */
  prepare?: (world: PostingWorld) => Promise<Payroll>;
  /** What Gusto does now (its webhooks delivered three times each): the payroll it concerns. */
  act: (world: PostingWorld, prepared?: Payroll) => Payroll;
  /** Stop while the nth journal create since `act` is in flight, or once the posting's trail shows this event. */
  stopAt: { create: number } | { event: string };
  /** After the restart: the journals, each exactly once, and what the posting and its audit trail say. */
  check: (world: PostingWorld, payroll: Payroll) => Promise<void>;
}

const postingPath = (world: PostingWorld, uuid: string) => `/api/postings/${postingIdOf(world, uuid)}`;

const viewWhen = (world: PostingWorld, uuid: string, what: string, ok: (view: any) => boolean) =>
  postingWhen(world, uuid, what, ok, 30_000);

const posted = (world: PostingWorld, uuid: string) =>
  viewWhen(world, uuid, 'posted', (v) => v.status === 'posted' || v.status === 'needs_attention');

/** The types of the posting's audit trail, in order. */
async function trailOf(world: PostingWorld, uuid: string): Promise<Array<{ type: string; data: any }>> {
  return (await world.api('GET', `${postingPath(world, uuid)}/events`)).body.items;
}
const count = (trail: Array<{ type: string }>, ...types: string[]) =>
  trail.filter((e) => types.includes(e.type)).length;

/** The connection's audit events of one type that belong to this payroll. */
async function auditOf(world: PostingWorld, uuid: string, type: string): Promise<any[]> {
  const res = await world.api('GET', `/api/audit/events?connectionId=${world.connectionId}&type=${type}&limit=500`);
  return res.body.items.filter((e: any) => e.stream.includes(uuid));
}

/** The payroll journal of generation 1, exactly once; the posting recorded it once, requested once. */
async function onePayrollJournal(world: PostingWorld, uuid: string): Promise<any> {
  const view = await posted(world, uuid);
  expect(view.status).toBe('posted');
  const journals = tagged(world, `gusto:${uuid}`);
  expect(journals).toHaveLength(1);
  expect(view.acumatica.batchNbr).toBe(journals[0].BatchNbr);
  const trail = await trailOf(world, uuid);
  expect(count(trail, 'PostingRequested')).toBe(1);
  expect(count(trail, 'JournalCreated', 'ExistingJournalFound')).toBe(1);
  return { view, journal: journals[0], trail };
}

const balanced = (journal: { Details: any[] }) => {
  const sum = (k: string) => journal.Details.reduce((a, d) => a + cents(d[k]), 0);
  expect(sum('DebitAmount')).toBe(sum('CreditAmount'));
};

const accrualMonth = '2026-11';
/** Generation 2 posted once beside generation 1 and its reversal; the audit trail shows both generations. */
async function secondGeneration(world: PostingWorld, payroll: Payroll): Promise<void> {
  const uuid = payroll.uuid;
  const view = await viewWhen(
    world,
    uuid,
    'generation 2 posted',
    (v) => v.status === 'posted' && v.journal?.tag === `gusto:${uuid}/2`,
  );
  expect(tagged(world, `gusto:${uuid}`)).toHaveLength(1);
  expect(tagged(world, `gusto-reversal:${uuid}`)).toHaveLength(1);
  const second = tagged(world, `gusto:${uuid}/2`);
  expect(second).toHaveLength(1);
  expect(view.acumatica.batchNbr).toBe(second[0].BatchNbr);
  expect(view.acumatica.batchNbr).not.toBe(tagged(world, `gusto:${uuid}`)[0].BatchNbr);
  const trail = await trailOf(world, uuid);
  expect(trail.filter((e) => e.type === 'JournalBuilt').map((e) => e.data.journal.tag)).toEqual([
    `gusto:${uuid}`,
    `gusto:${uuid}/2`,
  ]);
  expect(trail.filter((e) => e.type === 'PostingReprocessed').map((e) => e.data.generation)).toEqual([2]);
  expect(count(trail, 'JournalCreated', 'ExistingJournalFound')).toBe(2);
  expect(count(trail, 'PayrollPosted')).toBe(2);
  expect(count(trail, 'PayrollReversed')).toBe(1);
  expect(await auditOf(world, uuid, 'PostingReprocessed')).toHaveLength(1);
}

const cases: RestartCase[] = [
  {
    rule: 'bank mode: one cash line per Gusto withdrawal, paper checks outstanding, imputed benefit and child support',
    mapping: bankMapping,
    act: (world) => world.gusto.scenario.runPayroll(world.companyUuid, { employees: hireBooksCrew(world) }) as Payroll,
    stopAt: { create: 1 },
    check: async (world, payroll) => {
      const { journal } = await onePayrollJournal(world, payroll.uuid);
      const t = payroll.totals;
      expect(bankLinesOf(journal)).toEqual(withdrawalsOf(t));
      expect(bankLinesOf(journal).reduce((a, b) => a + b, 0)).toBe(cents(t.company_debit));
      expect(cents(t.check_amount)).toBeGreaterThan(0);
      expect(cents(t.child_support_debit)).toBe(15000);
      expect(journal.Details.filter((d: any) => d.Account === '21500').map((d: any) => cents(d.CreditAmount))).toEqual([
        outstandingOf(t),
      ]);
      expect(cents(t.imputed_pay)).toBeGreaterThan(0);
      expect(journal.Details.some((d: any) => String(d.TransactionDescription).includes('Group Term Life'))).toBe(
        false,
      );
      balanced(journal);
    },
  },
  {
    rule: 'entry date period_end and liabilities by department',
    mapping: () => {
      const m = specMapping();
      Object.assign(m.journal, { detail: 'department', entryDate: 'period_end', splitLiabilitiesByDepartment: true });
      return m;
    },
    act: (world) => {
      const crew = hireEngineers(world);
      return world.gusto.scenario.runPayroll(world.companyUuid, {
        employees: crew,
        checkDate: '2026-12-04',
      } as never) as Payroll;
    },
    stopAt: { create: 1 },
    check: async (world, payroll) => {
      const { view, journal } = await onePayrollJournal(world, payroll.uuid);
      // The sandbox's pay period ends six days before the check date.
      expect(view.journal.header.transactionDate).toBe('2026-11-28');
      expect(String(journal.TransactionDate).slice(0, 10)).toBe('2026-11-28');
      const liabilities = journal.Details.filter((d: any) => cents(d.CreditAmount) > 0);
      expect(liabilities.length).toBeGreaterThan(0);
      for (const d of liabilities) expect(d.Subaccount).toBe('100000');
    },
  },
  {
    rule: 'rounding tolerance: a one-cent difference posts to the rounding account, with a warning',
    mapping: () => {
      const m = bankMapping();
      m.journal.rounding = { toleranceCents: 1 };
      m.accounts.rounding = { account: '60000' };
      return m;
    },
    act: (world) =>
      world.gusto.scenario.runPayroll(world.companyUuid, {
        employees: 3,
        totalsSkewCents: { net_pay: 1 },
      } as never) as Payroll,
    stopAt: { create: 1 },
    check: async (world, payroll) => {
      const { view, journal } = await onePayrollJournal(world, payroll.uuid);
      expect(view.journal.lines.filter((l: any) => l.mappingKey === 'rounding')).toEqual([
        expect.objectContaining({ account: '60000', side: 'debit', amount: '0.01' }),
      ]);
      expect(view.journal.warnings).toContain('rounding: 0.01 posted to the rounding account so the journal balances');
      // 60000 is also the wages account: the rounding cent is its one-cent debit line.
      expect(journal.Details.filter((d: any) => d.Account === '60000' && cents(d.DebitAmount) === 1)).toHaveLength(1);
      balanced(journal);
    },
  },
  {
    rule: 'month-end accrual and its reversal (stopped while the accrual create is in flight)',
    mapping: () => accrualMapping(),
    act: (world) => runAcrossMonthEnd(world),
    stopAt: { create: 2 },
    check: async (world, payroll) => {
      const uuid = payroll.uuid;
      const view = await viewWhen(world, uuid, 'accrual posted', (v) => v.accruals?.[0]?.status === 'posted');
      await onePayrollJournal(world, uuid);
      const accrual = tagged(world, `gusto-accrual:${uuid}:${accrualMonth}`);
      const reversal = tagged(world, `gusto-accrual-reversal:${uuid}:${accrualMonth}`);
      expect(accrual).toHaveLength(1);
      expect(reversal).toHaveLength(1);
      expect(String(accrual[0].TransactionDate).slice(0, 10)).toBe('2026-11-30');
      expect(String(reversal[0].TransactionDate).slice(0, 10)).toBe('2026-12-01');
      expect(view.accruals).toEqual([
        expect.objectContaining({
          month: accrualMonth,
          status: 'posted',
          accrual: expect.objectContaining({ batchNbr: accrual[0].BatchNbr }),
          reversal: expect.objectContaining({ batchNbr: reversal[0].BatchNbr }),
        }),
      ]);
      const recorded = await auditOf(world, uuid, 'AccrualJournalRecorded');
      expect(recorded.map((e) => e.data.kind)).toEqual(['accrual', 'reversal']);
    },
  },
  {
    rule: 'a closed period: the accrual is skipped, with the reason, once',
    mapping: () => accrualMapping(),
    act: (world) => {
      world.acumatica.knobs.closedPeriods.add('112026');
      return runAcrossMonthEnd(world);
    },
    stopAt: { create: 1 },
    check: async (world, payroll) => {
      const uuid = payroll.uuid;
      const view = await viewWhen(world, uuid, 'accrual skipped', (v) => v.accruals?.[0]?.status === 'skipped');
      await onePayrollJournal(world, uuid);
      expect(view.accruals[0].accrual.skipped).toMatch(/financial period 2026-11 is closed/);
      expect(world.acumatica.records.journalsTagged(`gusto-accrual:${uuid}`)).toEqual([]);
      expect(await auditOf(world, uuid, 'AccrualSkipped')).toHaveLength(1);
    },
  },
  {
    rule: 'a payroll cancelled after its accrual was posted: the accrual and its reversal voided (stopped while the void create is in flight)',
    mapping: () => accrualMapping(),
    prepare: async (world) => {
      const payroll = runAcrossMonthEnd(world);
      await viewWhen(world, payroll.uuid, 'accrual posted', (v) => v.accruals?.[0]?.status === 'posted');
      return payroll;
    },
    act: (world, payroll) => world.gusto.scenario.cancelPayroll(required(payroll).uuid) as Payroll,
    // the payroll's reversal, then the first void
    stopAt: { create: 2 },
    check: async (world, payroll) => {
      const uuid = payroll.uuid;
      const view = await viewWhen(world, uuid, 'accrual voided', (v) => v.accruals?.[0]?.status === 'cancelled');
      expect(view.reversal.status).toBe('reversed');
      for (const t of ['gusto-accrual', 'gusto-accrual-reversal', 'gusto-accrual-void', 'gusto-accrual-reversal-void'])
        expect(tagged(world, `${t}:${uuid}:${accrualMonth}`)).toHaveLength(1);
      expect(tagged(world, `gusto-reversal:${uuid}`)).toHaveLength(1);
      expect(view.accruals[0].voids.accrual.batchNbr).toBe(
        tagged(world, `gusto-accrual-void:${uuid}:${accrualMonth}`)[0].BatchNbr,
      );
    },
  },
  {
    rule: 'generation 2 gets its own accrual (stopped while that accrual create is in flight)',
    mapping: () => accrualMapping(),
    prepare: async (world) => {
      const payroll = runAcrossMonthEnd(world);
      await viewWhen(world, payroll.uuid, 'accrual posted', (v) => v.accruals?.[0]?.status === 'posted');
      world.gusto.scenario.cancelPayroll(payroll.uuid);
      await viewWhen(world, payroll.uuid, 'accrual voided', (v) => v.accruals?.[0]?.status === 'cancelled');
      return payroll;
    },
    act: (world, payroll) => world.gusto.scenario.processPayrollAgain(required(payroll).uuid) as Payroll,
    // generation 2's journal, then its accrual
    stopAt: { create: 2 },
    check: async (world, payroll) => {
      const uuid = payroll.uuid;
      const view = await viewWhen(world, uuid, 'generation 2 accrual posted', (v) =>
        (v.accruals ?? []).some((a: any) => a.generation === 2 && a.status === 'posted'),
      );
      await secondGeneration(world, payroll);
      expect(view.accruals.map((a: any) => [a.generation ?? 1, a.status])).toEqual([
        [1, 'cancelled'],
        [2, 'posted'],
      ]);
      for (const t of ['gusto-accrual', 'gusto-accrual-reversal']) {
        expect(tagged(world, `${t}:${uuid}:${accrualMonth}`)).toHaveLength(1);
        expect(tagged(world, `${t}:${uuid}/2:${accrualMonth}`)).toHaveLength(1);
      }
      expect(view.accruals[1].accrual.batchNbr).toBe(
        tagged(world, `gusto-accrual:${uuid}/2:${accrualMonth}`)[0].BatchNbr,
      );
    },
  },
  {
    rule: 'cancelled then processed again: generation 2 (stopped right after it was requested)',
    mapping: specMapping,
    prepare: postedThenReversed,
    act: (world, payroll) => world.gusto.scenario.processPayrollAgain(required(payroll).uuid) as Payroll,
    stopAt: { event: 'PostingReprocessed' },
    check: secondGeneration,
  },
  {
    rule: 'cancelled then processed again: generation 2 (stopped while its create is in flight)',
    mapping: specMapping,
    prepare: postedThenReversed,
    act: (world, payroll) => world.gusto.scenario.processPayrollAgain(required(payroll).uuid) as Payroll,
    stopAt: { create: 1 },
    check: secondGeneration,
  },
];

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('this case needs its prepare step');
  return value;
}

describe('books rules under duplicate webhooks and a restart', () => {
  it.each(cases.map((c) => [c.rule, c] as const))(
    '%s',
    async (_rule, c) => {
      const world = await restartableWorld({ mapping: c.mapping() });
      try {
        const prepared = await c.prepare?.(world);
        const creates = journalCreates(world);
        const journals = world.acumatica.records.journals().length;
        const stopAt = c.stopAt;
        if ('create' in stopAt) world.acumatica.knobs.latencyMs = 1500;
        else world.gusto.knobs.latencyMs = 1500;
        const payroll = await withDuplicateWebhooks(world, () => c.act(world, prepared));
        if ('create' in stopAt)
          await waitFor('the create in flight', async () => journalCreates(world) >= creates + stopAt.create);
        else
          await waitFor(`${stopAt.event} recorded`, async () =>
            (await trailOf(world, payroll.uuid)).some((e) => e.type === stopAt.event),
          );
        // Stopped after the request was recorded and before anything of it reached Acumatica.
        if ('event' in stopAt) expect(journalCreates(world)).toBe(creates);
        await restartService(world, async () => {
          if ('create' in stopAt)
            await waitFor(
              'Acumatica to commit the create the stopped service sent',
              async () => world.acumatica.records.journals().length >= journals + stopAt.create,
            );
          world.acumatica.knobs.latencyMs = 0;
          world.gusto.knobs.latencyMs = 0;
        });
        await c.check(world, payroll);
      } finally {
        await world.close();
      }
    },
    90_000,
  );
});
