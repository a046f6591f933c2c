import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../../../../src/domain/journal';
import { payrollTieOut, tieOutCsv, tieOutReport } from '../../../../src/application/tie-out/tie-out-report';

const dir = join(__dirname, '../../../fixtures');
const json = (p: string): any => JSON.parse(readFileSync(join(dir, p), 'utf8'));
const sampleTotals = (): Record<string, string> => json('gusto/payroll-processed-show.json').totals;
const bankTotals = (): Record<string, string> => json('journal/bank-example.payroll.json').totals;
const batchOf = (j: Journal, batchNbr = '000123') => ({
  batchNbr,
  status: 'Balanced',
  debitTotal: j.totals.debit,
  creditTotal: j.totals.credit,
  lines: j.lines.length,
});

describe('tie-out report', () => {
  it('liabilities mode (the v1 golden journal): net pay + reimbursements and tax_debit tie to their liability lines; nothing differs', () => {
    const journal: Journal = json('journal/payroll-processed-show.summary.json');
    const row = payrollTieOut({
      payrollUuid: 'p1',
      status: 'posted',
      checkDate: '2026-01-23',
      offCycle: false,
      gustoTotals: sampleTotals(),
      journal,
      batchNbr: '000123',
      batch: batchOf(journal),
    });
    expect(row.cashMode).toBe('liabilities');
    expect(row.ties).toEqual([
      { item: 'net pay + reimbursements (netPay lines)', gusto: '7239.30', journal: '7239.30', difference: '0.00' },
      { item: 'tax_debit (tax liability lines)', gusto: '2509.51', journal: '2509.51', difference: '0.00' },
      { item: 'gross pay − cash tips (earnings lines)', gusto: '9136.00', journal: '9136.00', difference: '0.00' },
      { item: 'journal debits = credits', gusto: '10773.81', journal: '10773.81', difference: '0.00' },
      { item: 'Acumatica batch 000123 debit total', journal: '10773.81', acumatica: '10773.81', difference: '0.00' },
      { item: 'Acumatica batch 000123 credit total', journal: '10773.81', acumatica: '10773.81', difference: '0.00' },
    ]);
    expect(row.differences).toEqual([]);
  });

  it('bank mode (the hand-worked example): each withdrawal beside its cash line; a batch edited in Acumatica and a Gusto figure that moved are named', () => {
    const journal: Journal = json('journal/bank-example.journal.json');
    const totals = bankTotals();
    const clean = payrollTieOut({
      payrollUuid: 'p2',
      status: 'posted',
      checkDate: '2026-01-23',
      offCycle: false,
      gustoTotals: totals,
      journal,
      batchNbr: '000124',
      batch: batchOf(journal, '000124'),
    });
    expect(clean.cashMode).toBe('bank');
    expect(clean.ties.slice(0, 6)).toEqual([
      { item: 'Gusto withdrawal net_pay_debit', gusto: '5318.55', journal: '5318.55', difference: '0.00' },
      { item: 'Gusto withdrawal tax_debit', gusto: '2511.33', journal: '2511.33', difference: '0.00' },
      { item: 'Gusto withdrawal reimbursement_debit', gusto: '0.00', journal: '0.00', difference: '0.00' },
      { item: 'Gusto withdrawal child_support_debit', gusto: '100.00', journal: '100.00', difference: '0.00' },
      { item: 'company_debit = the withdrawals', gusto: '7929.88', journal: '7929.88', difference: '0.00' },
      {
        item: 'paper checks outstanding (net pay − net_pay_debit + reimbursements − reimbursement_debit)',
        gusto: '1819.84',
        journal: '1819.84',
        difference: '0.00',
      },
    ]);
    expect(clean.differences).toEqual([]);

    const edited = { ...batchOf(journal, '000124'), debitTotal: '10700.00' };
    const moved = { ...totals, tax_debit: '2511.30' };
    const row = payrollTieOut({
      payrollUuid: 'p2',
      status: 'posted',
      checkDate: '2026-01-23',
      offCycle: false,
      gustoTotals: moved,
      journal,
      batchNbr: '000124',
      batch: edited,
    });
    expect(row.differences).toEqual([
      'Gusto withdrawal tax_debit: Gusto 2511.30, journal 2511.33 (difference -0.03)',
      'Acumatica batch 000124 debit total: journal 10774.72, Acumatica 10700.00 (difference -74.72)',
    ]);
  });

  it('a posting not in the ledger and an unreadable batch are named; the period sums the payrolls; CSV fields are quoted and never formulas', () => {
    const journal: Journal = json('journal/bank-example.journal.json');
    const blocked = payrollTieOut({
      payrollUuid: 'p3',
      status: 'needs_attention',
      checkDate: '2026-01-30',
      offCycle: false,
      gustoTotals: bankTotals(),
      lastError: 'no account mapped for: taxDebit:Taxes or taxDebit',
    });
    const unreadable = payrollTieOut({
      payrollUuid: 'p4',
      status: 'posted',
      checkDate: '2026-01-16',
      offCycle: false,
      gustoTotals: bankTotals(),
      journal,
      batchNbr: '000125',
      batch: { error: '=HYPERLINK("x")' },
    });
    expect(blocked.differences).toEqual([
      'posting is needs_attention: no account mapped for: taxDebit:Taxes or taxDebit — not (yet) in the ledger',
    ]);
    expect(unreadable.differences).toEqual(['Acumatica batch 000125 could not be read: =HYPERLINK("x")']);
    const report = tieOutReport('c1', '2026-01-01', '2026-01-31', '2026-02-01T00:00:00.000Z', [blocked, unreadable]);
    expect(report.payrolls.map((p) => p.payrollUuid)).toEqual(['p4', 'p3']);
    expect(report.period).toMatchObject({
      payrolls: 2,
      posted: 1,
      differences: 2,
      gusto: { companyDebit: '15859.76' },
      journal: { debit: '10774.72', cash: '7929.88' },
    });
    const csv = tieOutCsv(report);
    expect(csv).toContain('"DIFFERENCE: Acumatica batch 000125 could not be read: =HYPERLINK(""x"")"');
    expect(csv.split('\r\n').some((line) => line.split(',').some((f) => /^[=+@]/.test(f)))).toBe(false);
    expect(csv).toContain('2026-01-01..2026-01-31,PERIOD,,"payrolls 2, posted 1, differences 2",,,,');
  });
});
