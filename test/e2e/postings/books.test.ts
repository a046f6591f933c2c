/**
 * Issue 14 ("Books that close") end to end: the service over real HTTP against the Gusto and Acumatica
 * sandboxes, with a bank-mode mapping. Payrolls carry paper checks, an imputed benefit (group-term life)
 * and a child support garnishment.
 */
import { bankLinesOf, bankMapping, hireBooksCrew, hireEngineers, outstandingOf, withdrawalsOf } from './books-support';
import {
  acumaticaCalls,
  cents,
  journalsOf,
  postingIdOf,
  postingWithStatus,
  postingWorld,
  specMapping,
  withDuplicateWebhooks,
  type PostingWorld,
} from './support';

describe('books e2e: bank cash mode, paper checks, imputed benefits, child support', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: bankMapping() });
  });
  afterAll(async () => world?.close());

  it('posts one journal whose cash lines are Gusto withdrawals one by one, summing to company_debit; exactly once under duplicate webhooks', async () => {
    const crew = hireBooksCrew(world);
    const payroll = await withDuplicateWebhooks(world, () =>
      world.gusto.scenario.runPayroll(world.companyUuid, { employees: crew }),
    );
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.lastError).toBeUndefined();
    expect(posting.status).toBe('posted');
    const totals = payroll.totals as Record<string, string>;
    expect(cents(totals.imputed_pay)).toBeGreaterThan(0);
    expect(cents(totals.child_support_debit)).toBe(15000);
    expect(cents(totals.check_amount)).toBeGreaterThan(0);

    const journals = journalsOf(world, payroll.uuid) as any[];
    expect(journals).toHaveLength(1);
    expect(acumaticaCalls(world).creates).toBe(1);
    const details = journals[0].Details as Array<Record<string, string | null>>;
    const onAccount = (account: string) => details.filter((d) => d.Account === account);
    // Gusto's four withdrawals, each its own credit line on the bank account.
    const bank = bankLinesOf(journals[0]);
    expect(bank).toEqual(withdrawalsOf(totals));
    expect(bank.reduce((a, b) => a + b, 0)).toBe(cents(totals.company_debit));
    // Paper checks: Jordan's net (and any reimbursement on his check) is outstanding, not withdrawn.
    expect(onAccount('21500').map((d) => cents(d.CreditAmount))).toEqual([outstandingOf(totals)]);
    // No netPay line and no tax liability line: Gusto moves that money.
    expect(onAccount('10100')).toEqual([]);
    expect([...onAccount('21000'), ...onAccount('21100')]).toEqual([]);
    // Imputed Group Term Life: no expense, no liability; benefits = the non-imputed contributions only.
    const benefitExpense = onAccount('62000').reduce((a, d) => a + cents(String(d.DebitAmount)), 0);
    expect(benefitExpense).toBe(cents(totals.benefits) - cents(totals.imputed_pay));
    expect(details.some((d) => String(d.TransactionDescription).includes('Group Term Life'))).toBe(false);
    // Balanced, and the memos name the withdrawals.
    const debit = details.reduce((a, d) => a + cents(String(d.DebitAmount ?? '0.00')), 0);
    const credit = details.reduce((a, d) => a + cents(String(d.CreditAmount ?? '0.00')), 0);
    expect(debit).toBe(credit);
    // …and the date Gusto takes them (the sandbox's payroll_status_meta.expected_debit_time: the day before the check date).
    const debitDate = new Date(Date.parse(`${payroll.check_date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    for (const d of onAccount('10200'))
      expect(d.TransactionDescription).toMatch(
        new RegExp(
          `^Gusto withdrawal: .*\\((net_pay|tax|reimbursement|child_support)_debit\\), debited ${debitDate}, payroll of check date ${payroll.check_date}$`,
        ),
      );

    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    expect(trail.body.items.filter((e: any) => e.type === 'JournalCreated')).toHaveLength(1);
  });

  it('the tie-out report shows every Gusto withdrawal beside its journal line and the batch read back from Acumatica, all differences 0.00', async () => {
    const crew = hireBooksCrew(world);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: crew });
    await postingWithStatus(world, payroll.uuid, 'posted');
    const q = `from=${payroll.check_date}&to=${payroll.check_date}`;
    const res = await world.api('GET', `/api/connections/${world.connectionId}/tie-out?${q}`);
    expect(res.status).toBe(200);
    const row = res.body.payrolls.find((p: any) => p.payrollUuid === payroll.uuid);
    expect(row).toMatchObject({ status: 'posted', cashMode: 'bank', checkDate: payroll.check_date });
    const totals = payroll.totals as Record<string, string>;
    for (const k of ['net_pay_debit', 'tax_debit', 'reimbursement_debit', 'child_support_debit']) {
      expect(row.ties).toContainEqual({
        item: `Gusto withdrawal ${k}`,
        gusto: totals[k],
        journal: totals[k],
        difference: '0.00',
      });
    }
    expect(row.ties.find((t: any) => t.item === 'company_debit = the withdrawals')).toMatchObject({
      gusto: totals.company_debit,
      journal: totals.company_debit,
      difference: '0.00',
    });
    const batch = journalsOf(world, payroll.uuid)[0] as any;
    expect(row.acumatica).toMatchObject({
      batchNbr: batch.BatchNbr,
      status: batch.Status,
      debitTotal: row.journal.debit,
      creditTotal: row.journal.credit,
    });
    expect(row.ties.every((t: any) => t.difference === '0.00')).toBe(true);
    expect(row.differences).toEqual([]);
    expect(res.body.period).toMatchObject({ differences: 0 });
    expect(res.body.period.acumatica.debit).toBe(res.body.period.journal.debit);

    const csv = await fetch(`${world.service.url}/api/connections/${world.connectionId}/tie-out?${q}&format=csv`, {
      headers: world.service.auth,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('check_date,payroll,status,item,gusto,journal,acumatica,difference');
    expect(text).toContain(
      `${payroll.check_date},${payroll.uuid},posted,Gusto withdrawal net_pay_debit,${totals.net_pay_debit},${totals.net_pay_debit},,0.00`,
    );

    expect((await world.api('GET', `/api/connections/${world.connectionId}/tie-out?from=2026-13-01&to=x`)).status).toBe(
      400,
    );
    expect((await world.api('GET', `/api/connections/nope/tie-out?${q}`)).status).toBe(404);
    const outside = await world.api(
      'GET',
      `/api/connections/${world.connectionId}/tie-out?from=1999-01-01&to=1999-12-31`,
    );
    expect(outside.body.payrolls).toEqual([]);
  });

  it('the preview shows the bank-mode journal, its cash lines and warnings, before anything is posted', async () => {
    const crew = hireBooksCrew(world);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: crew, webhook: false });
    const preview = await world.api('POST', `/api/connections/${world.connectionId}/payrolls/${payroll.uuid}/preview`);
    expect(preview.status).toBe(200);
    const keys = preview.body.lines.map((l: any) => l.mappingKey);
    expect(keys).toEqual(expect.arrayContaining(['netPayDebit', 'taxDebit', 'childSupportDebit', 'outstandingChecks']));
    expect(keys).not.toContain('netPay');
    expect(preview.body.totals.debit).toBe(preview.body.totals.credit);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);
  });

  it('a bad cash mode is named (400); the bank mapping is accepted', async () => {
    const bad = bankMapping();
    bad.journal.cash = 'cash-in-hand';
    const put = await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, bad);
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.body)).toContain('journal.cash: must be one of liabilities, bank');
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, bankMapping())).status).toBe(200);
  });
});

describe('books e2e: entry date and liabilities by department', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    const mapping = specMapping();
    Object.assign(mapping.journal, {
      detail: 'department',
      entryDate: 'period_end',
      splitLiabilitiesByDepartment: true,
      rounding: { toleranceCents: 1 },
    });
    mapping.accounts.rounding = { account: '60000' };
    world = await postingWorld({ mapping });
  });
  afterAll(async () => world?.close());

  it('dates the journal on the pay period end and splits liability lines by department, with the department subaccount', async () => {
    const s = world.gusto.scenario;
    const eng = hireEngineers(world);
    const ops = s.createEmployee(
      world.companyUuid,
      { firstName: 'Ops', department: 'Operations', rate: '30.00', paymentUnit: 'Hour' },
      true,
    ).uuid as string;
    const payroll = s.runPayroll(world.companyUuid, {
      employees: [...eng, ops],
      checkDate: '2026-12-04',
    } as never) as any;
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    const periodEnd = posting.journal.header.transactionDate;
    expect(periodEnd < payroll.check_date).toBe(true);
    const journals = journalsOf(world, payroll.uuid) as any[];
    expect(journals).toHaveLength(1);
    expect(String(journals[0].TransactionDate).slice(0, 10)).toBe(periodEnd);
    const engineeringCredits = (posting.journal.lines as any[]).filter(
      (l) => l.side === 'credit' && l.department === 'Engineering',
    );
    expect(engineeringCredits.length).toBeGreaterThan(0);
    for (const l of engineeringCredits) expect(l.subaccount).toBe('100000');
    const stored = (journals[0].Details as any[]).filter(
      (d) => d.Subaccount === '100000' && d.CreditAmount !== null && cents(String(d.CreditAmount)) > 0,
    );
    expect(stored.length).toBe(engineeringCredits.length);
    expect(posting.journal.warnings).toContain(
      'department "Operations" is not in subaccountsByDepartment: its lines use the mapped subaccount',
    );
  });
});

describe('books e2e: rounding tolerance', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld({ mapping: bankMapping() });
  });
  afterAll(async () => world?.close());

  it('a one-cent difference blocks with tolerance 0 (as before); with toleranceCents 1 it posts, the cent on the rounding account, with a warning', async () => {
    const blocked = world.gusto.scenario.runPayroll(world.companyUuid, {
      employees: 3,
      totalsSkewCents: { net_pay: 1 },
    } as never) as any;
    const refused = await postingWithStatus(world, blocked.uuid, 'needs_attention', 'posted');
    expect(refused.status).toBe('needs_attention');
    expect(JSON.stringify(refused.lastError)).toContain('totals.net_pay');

    const tolerant = bankMapping();
    tolerant.journal.rounding = { toleranceCents: 1 };
    tolerant.accounts.rounding = { account: '60000' };
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, tolerant)).status).toBe(200);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, {
      employees: 3,
      totalsSkewCents: { net_pay: 1 },
    } as never) as any;
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    const rounding = posting.journal.lines.filter((l: any) => l.mappingKey === 'rounding');
    expect(rounding).toEqual([expect.objectContaining({ account: '60000', side: 'debit', amount: '0.01' })]);
    expect(posting.journal.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^rounding: totals\.net_pay: Gusto says .* \(difference 0\.01\), within the 0\.01 tolerance$/,
        ),
        'rounding: 0.01 posted to the rounding account so the journal balances',
      ]),
    );
    const journals = journalsOf(world, payroll.uuid) as any[];
    expect(journals).toHaveLength(1);
    const details = journals[0].Details as any[];
    expect(details.reduce((a, d) => a + cents(String(d.DebitAmount ?? '0.00')), 0)).toBe(
      details.reduce((a, d) => a + cents(String(d.CreditAmount ?? '0.00')), 0),
    );
  });
});
