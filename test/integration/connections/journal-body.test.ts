import { journalBody } from '../../../src/adapters/outbound/acumatica/journal-body';
import type { Journal } from '../../../src/domain/journal/journal';

const journal = (amounts: Array<[string, 'debit' | 'credit']>): Journal => ({
  tag: 'gusto:p1',
  payrollUuid: 'p1',
  kind: 'payroll',
  header: {
    branch: 'HQ',
    ledger: 'ACTUAL',
    transactionDate: '2026-11-20',
    description: 'Gusto payroll [gusto:p1] "quoted"',
    release: false,
  },
  lines: amounts.map(([amount, side], i) => ({
    account: `6000${i}`,
    side,
    amount,
    memo: `line ${i}`,
    mappingKey: 'earnings',
  })),
  totals: { debit: '0.30', credit: '0.30' },
  mappingVersion: 1,
  warnings: [],
});

describe('journal body (exact decimals on the wire)', () => {
  it('writes each decimal string as the same raw JSON number literal', () => {
    const text = journalBody(
      journal([
        ['0.10', 'debit'],
        ['0.20', 'debit'],
        ['0.30', 'credit'],
        ['12345678901234.99', 'debit'],
      ]),
      {},
    );
    expect(text).toContain('"DebitAmount":{"value":0.10}');
    expect(text).toContain('"DebitAmount":{"value":0.20}');
    expect(text).toContain('"CreditAmount":{"value":0.30}');
    expect(text).toContain('"DebitAmount":{"value":12345678901234.99}');
    expect(text).not.toContain('0.30000000000000004');
    const parsed = JSON.parse(text) as {
      Hold: { value: boolean };
      BranchID: { value: string };
      LedgerID: { value: string };
      Details: unknown[];
      Description: { value: string };
    };
    expect(parsed.Hold.value).toBe(false);
    expect(parsed.BranchID.value).toBe('HQ');
    expect(parsed.LedgerID.value).toBe('ACTUAL');
    expect(parsed.Description.value).toBe('Gusto payroll [gusto:p1] "quoted"');
    expect(parsed.Details).toHaveLength(4);
  });

  it('refuses an amount that is not a decimal rather than writing broken JSON', () => {
    expect(() => journalBody(journal([['1e5', 'debit']]), {})).toThrow(/not a decimal/);
    expect(() => journalBody(journal([['"0}', 'debit']]), {})).toThrow(/not a decimal/);
  });

  it('falls back to the connection branch when the journal names none', () => {
    const j = journal([['1.00', 'debit']]);
    delete j.header.branch;
    expect(journalBody(j, { branch: 'MAIN' })).toContain('"BranchID":{"value":"MAIN"}');
  });
});
