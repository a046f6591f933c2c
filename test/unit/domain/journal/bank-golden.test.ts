import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal } from '../../../../src/domain/journal';
import { parseMapping } from '../../../../src/domain/mapping';

const dir = join(__dirname, '../../../fixtures/journal');
const fixture = (name: string): any => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('hand-worked bank cash mode journal (bank-example.md)', () => {
  const mapping = parseMapping(fixture('bank-example-mapping.json'));
  if (!mapping.ok) throw new Error(mapping.errors.join('\n'));

  it('is the checked-in journal, byte for byte: one cash line per withdrawal, paper checks outstanding, no imputed benefit line', () => {
    const result = buildJournal(fixture('bank-example.payroll.json'), mapping.mapping, { mappingVersion: 1 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(JSON.stringify(result.journal, null, 2) + '\n').toBe(
      readFileSync(join(dir, 'bank-example.journal.json'), 'utf8'),
    );
    expect(result.journal.totals).toEqual({ debit: '10774.72', credit: '10774.72' });
  });

  it('the Gusto sample itself in bank mode: cash lines 7193.70 + 2509.51 + 45.60 = company_debit 9748.81', () => {
    const result = buildJournal(fixture('../gusto/payroll-processed-show.json'), mapping.mapping, {
      mappingVersion: 1,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const cash = result.journal.lines.filter((l) => l.account === '10200').map((l) => [l.mappingKey, l.amount]);
    expect(cash).toEqual([
      ['netPayDebit', '7193.70'],
      ['reimbursementDebit', '45.60'],
      ['taxDebit', '2509.51'],
    ]);
    expect(result.journal.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
    expect(result.journal.warnings).toEqual([]);
  });

  it('refuses, naming the difference, when company_debit is not the sum of the withdrawals', () => {
    const payroll = fixture('bank-example.payroll.json');
    payroll.totals.company_debit = '7929.80';
    const result = buildJournal(payroll, mapping.mapping, { mappingVersion: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'totals_mismatch',
        total: 'totals.company_debit',
        gusto: '7929.80',
        computed: '7929.88',
        difference: '-0.08',
      }),
    ]);
  });

  it('keeps the taxes Gusto does not remit on the tax liability accounts, split employee/employer, with a warning', () => {
    const payroll = fixture('bank-example.payroll.json');
    payroll.totals.tax_debit = '2411.33';
    payroll.totals.company_debit = '7829.88';
    const result = buildJournal(payroll, mapping.mapping, { mappingVersion: 1 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const tax = result.journal.lines
      .filter((l) => l.account === '21000' || l.account === '21100')
      .map((l) => [l.account, l.side, l.amount]);
    // 100.00 × 1528.21 / 2511.33 = 60.85 (truncated) employee, 39.15 employer.
    expect(tax).toEqual([
      ['21000', 'credit', '39.15'],
      ['21100', 'credit', '60.85'],
    ]);
    expect(result.journal.warnings).toContain(
      "tax_debit 2411.33 is less than the payroll's taxes 2511.33: 100.00 not remitted by Gusto stays on the tax liability accounts",
    );
  });

  it('needs every *_debit in bank mode', () => {
    const payroll = fixture('bank-example.payroll.json');
    delete payroll.totals.tax_debit;
    const result = buildJournal(payroll, mapping.mapping, { mappingVersion: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([expect.objectContaining({ code: 'invalid_payroll', path: 'totals.tax_debit' })]);
  });
});
