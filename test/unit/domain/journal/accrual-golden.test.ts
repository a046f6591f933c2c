/** The hand-worked accrual of test/fixtures/journal/accrual-example.md. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal } from '../../../../src/domain/journal';
import { buildAccruals } from '../../../../src/domain/journal/accrual';
import { withGeneration } from '../../../../src/domain/journal/generation';
import { parseMapping } from '../../../../src/domain/mapping';
import { voidJournal } from '../../../../src/domain/payroll-accrual/void-journal';

const dir = join(__dirname, '../../../fixtures');
const json = (p: string): any => JSON.parse(readFileSync(join(dir, p), 'utf8'));

describe('hand-worked month-end accrual (accrual-example.md)', () => {
  const doc = json('journal/spec-example-mapping.json');
  doc.journal.accrual = { enabled: true };
  doc.accounts.accruedPayroll = { account: '22000' };
  const parsed = parseMapping(doc);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const payroll = json('gusto/payroll-processed-show.json');
  payroll.pay_period = { start_date: '2025-12-28', end_date: '2026-01-10' };
  payroll.check_date = '2026-01-16';

  it('December carries 4/14 of each expense line, largest remainder; CR accrued payroll 3065.20; reversal on 2026-01-01', () => {
    const built = buildJournal(payroll, parsed.mapping, { mappingVersion: 1 });
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    const result = buildAccruals(built.journal, { startDate: '2025-12-28', endDate: '2026-01-10' }, parsed.mapping);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.accruals).toHaveLength(1);
    const [a] = result.accruals;
    expect(a).toMatchObject({ month: '2025-12', days: 4, periodDays: 14 });
    expect(a.accrual.lines.map((l) => [l.account, l.side, l.amount])).toEqual([
      ['60000', 'debit', '2548.57'],
      ['60010', 'debit', '61.71'],
      ['61000', 'debit', '280.63'],
      ['62000', 'debit', '174.29'],
      ['22000', 'credit', '3065.20'],
    ]);
    expect(a.accrual.header.transactionDate).toBe('2025-12-31');
    expect(a.accrual.header.description).toBe(
      `Accrual 2025-12 of Gusto payroll 2025-12-28–2026-01-10 [gusto-accrual:${payroll.uuid}:2025-12]`,
    );
    expect(a.accrual.totals).toEqual({ debit: '3065.20', credit: '3065.20' });
    expect(a.reversal.header.transactionDate).toBe('2026-01-01');
    expect(a.reversal.lines.map((l) => [l.account, l.side, l.amount])).toEqual([
      ['60000', 'credit', '2548.57'],
      ['60010', 'credit', '61.71'],
      ['61000', 'credit', '280.63'],
      ['62000', 'credit', '174.29'],
      ['22000', 'debit', '3065.20'],
    ]);
  });

  it('cancelled: each void swaps every side on the date of the journal it undoes; generation 2 is tagged <uuid>/2', () => {
    const built = buildJournal(payroll, parsed.mapping, { mappingVersion: 1 });
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    const result = buildAccruals(built.journal, { startDate: '2025-12-28', endDate: '2026-01-10' }, parsed.mapping);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [a] = result.accruals;
    const accrualVoid = voidJournal(a.accrual);
    expect(accrualVoid.tag).toBe(`gusto-accrual-void:${payroll.uuid}:2025-12`);
    expect(accrualVoid.header.transactionDate).toBe('2025-12-31');
    expect(accrualVoid.lines.map((l) => [l.account, l.side, l.amount])).toEqual([
      ['60000', 'credit', '2548.57'],
      ['60010', 'credit', '61.71'],
      ['61000', 'credit', '280.63'],
      ['62000', 'credit', '174.29'],
      ['22000', 'debit', '3065.20'],
    ]);
    const reversalVoid = voidJournal(a.reversal);
    expect(reversalVoid.tag).toBe(`gusto-accrual-reversal-void:${payroll.uuid}:2025-12`);
    expect(reversalVoid.header.transactionDate).toBe('2026-01-01');
    expect(reversalVoid.lines.map((l) => [l.account, l.side, l.amount])).toEqual(
      a.accrual.lines.map((l) => [l.account, l.side, l.amount]),
    );

    const second = buildAccruals(
      withGeneration(built.journal, 2),
      { startDate: '2025-12-28', endDate: '2026-01-10' },
      parsed.mapping,
    );
    if (!second.ok) throw new Error(JSON.stringify(second.errors));
    expect(second.accruals[0].accrual.tag).toBe(`gusto-accrual:${payroll.uuid}/2:2025-12`);
    expect(second.accruals[0].reversal.tag).toBe(`gusto-accrual-reversal:${payroll.uuid}/2:2025-12`);
    expect(second.accruals[0].accrual.lines).toEqual(a.accrual.lines);
  });

  it('without an accruedPayroll account the accrual is refused, naming the key', () => {
    const d2 = json('journal/spec-example-mapping.json');
    d2.journal.accrual = { enabled: true };
    const m2 = parseMapping(d2);
    if (!m2.ok) throw new Error(m2.errors.join());
    const built = buildJournal(payroll, m2.mapping, { mappingVersion: 1 });
    if (!built.ok) throw new Error('payroll');
    const result = buildAccruals(built.journal, { startDate: '2025-12-28', endDate: '2026-01-10' }, m2.mapping);
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'unmapped_component',
          missingKeys: ['accruedPayroll:Accrued payroll or accruedPayroll'],
        }),
      ],
    });
  });
});
