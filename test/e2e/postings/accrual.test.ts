/**
 * Month-end accrual end to end (issue 14): a pay period across a month end posts, for the earlier month,
 * one accrual dated its last day and its reversal dated the 1st of the next — exactly once under duplicate
 * webhooks (the restart: books-restart.test.ts); a closed period is recorded as skipped, with the reason, in the tie-out.
 */
import { accrualMapping, runAcrossMonthEnd } from './books-support';
import {
  cents,
  journalsOf,
  postingWithStatus,
  postingWorld,
  tagged,
  waitFor,
  withDuplicateWebhooks,
  type PostingWorld,
} from './support';

const accrualsOf = (world: PostingWorld, uuid: string, month: string) =>
  tagged(world, `gusto-accrual:${uuid}:${month}`);
const reversalsOf = (world: PostingWorld, uuid: string, month: string) =>
  tagged(world, `gusto-accrual-reversal:${uuid}:${month}`);

async function tieOutRow(world: PostingWorld, uuid: string, checkDate: string): Promise<any> {
  const res = await world.api(
    'GET',
    `/api/connections/${world.connectionId}/tie-out?from=${checkDate}&to=${checkDate}`,
  );
  return res.body.payrolls.find((p: any) => p.payrollUuid === uuid);
}

describe('accrual e2e: a pay period across a month end', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping() });
  });
  afterAll(async () => world?.close());

  it('posts the payroll, then one accrual (last day of the earlier month) and its reversal (the 1st), exactly once under duplicate webhooks', async () => {
    const payroll: any = await withDuplicateWebhooks(world, () => runAcrossMonthEnd(world, 3));
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    const row = await waitFor('accrual posted', async () => {
      const r = await tieOutRow(world, payroll.uuid, payroll.check_date);
      return r?.accruals?.[0]?.status === 'posted' ? r : null;
    });
    expect(row.accruals).toEqual([
      expect.objectContaining({ month: '2026-11', status: 'posted', days: 11, periodDays: 14 }),
    ]);
    expect(row.differences).toEqual([]);
    const accrual = accrualsOf(world, payroll.uuid, '2026-11');
    const reversal = reversalsOf(world, payroll.uuid, '2026-11');
    expect(accrual).toHaveLength(1);
    expect(reversal).toHaveLength(1);
    expect(String(accrual[0].TransactionDate).slice(0, 10)).toBe('2026-11-30');
    expect(String(reversal[0].TransactionDate).slice(0, 10)).toBe('2026-12-01');
    // DR the expense lines' November share, CR accrued payroll; the reversal mirrors it.
    const credit = accrual[0].Details.filter((d: any) => d.Account === '22000').reduce(
      (a: number, d: any) => a + cents(d.CreditAmount),
      0,
    );
    const debit = accrual[0].Details.reduce((a: number, d: any) => a + cents(d.DebitAmount), 0);
    expect(credit).toBe(debit);
    expect(cents(row.accruals[0].amount)).toBe(credit);
    expect(
      reversal[0].Details.filter((d: any) => d.Account === '22000').reduce(
        (a: number, d: any) => a + cents(d.DebitAmount),
        0,
      ),
    ).toBe(credit);
    // About 11/14 of the expense (earnings + employer taxes + benefits), to the cent by largest remainder.
    const expense = posting.journal.lines
      .filter((l: any) => /^(earnings|employerTaxExpense|benefitExpense)/.test(l.mappingKey))
      .reduce((a: number, l: any) => a + cents(l.amount), 0);
    expect(Math.abs(credit - (expense * 11) / 14)).toBeLessThanOrEqual(posting.journal.lines.length);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);

    const audit = await world.api(
      'GET',
      `/api/audit/events?connectionId=${world.connectionId}&type=AccrualJournalRecorded`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items.filter((e: any) => e.stream.includes(payroll.uuid)).map((e: any) => e.data.kind)).toEqual([
      'accrual',
      'reversal',
    ]);
  });

  it('the preview shows the accrual and its reversal before anything is posted', async () => {
    const payroll = runAcrossMonthEnd(world, 2, { webhook: false });
    const preview = await world.api('POST', `/api/connections/${world.connectionId}/payrolls/${payroll.uuid}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.accruals).toHaveLength(1);
    const [a] = preview.body.accruals;
    expect(a).toMatchObject({ month: '2026-11', days: 11, periodDays: 14 });
    expect(a.accrual.header.transactionDate).toBe('2026-11-30');
    expect(a.reversal.header.transactionDate).toBe('2026-12-01');
    expect(a.accrual.totals.debit).toBe(a.accrual.totals.credit);
    expect(world.acumatica.records.journalsTagged(`gusto-accrual:${payroll.uuid}`)).toEqual([]);
  });

  it('a pay period inside the month of the entry date needs no accrual', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, {
      employees: 2,
      checkDate: '2026-12-30',
    } as never) as any;
    await postingWithStatus(world, payroll.uuid, 'posted');
    const row = await tieOutRow(world, payroll.uuid, payroll.check_date);
    expect(row.accruals).toEqual([]);
    expect(world.acumatica.records.journalsTagged(`gusto-accrual:${payroll.uuid}`)).toEqual([]);
  });
});

describe('accrual e2e: a closed period', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: accrualMapping() });
  });
  afterAll(async () => world?.close());

  it('is not an error: the accrual is skipped with the reason, named in the tie-out; the payroll stays posted', async () => {
    world.acumatica.knobs.closedPeriods.add('112026');
    const payroll = runAcrossMonthEnd(world);
    const posting = await postingWithStatus(world, payroll.uuid, 'posted');
    expect(posting.status).toBe('posted');
    const row = await waitFor('accrual skipped', async () => {
      const r = await tieOutRow(world, payroll.uuid, payroll.check_date);
      return r?.accruals?.[0]?.status === 'skipped' ? r : null;
    });
    expect(row.accruals[0].skipped).toMatch(/financial period 2026-11 is closed/);
    expect(row.differences).toEqual([
      expect.stringMatching(/^accrual 2026-11 skipped: financial period 2026-11 is closed/),
    ]);
    expect(accrualsOf(world, payroll.uuid, '2026-11')).toEqual([]);
    expect(reversalsOf(world, payroll.uuid, '2026-11')).toEqual([]);
  });
});
