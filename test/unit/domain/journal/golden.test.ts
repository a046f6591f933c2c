import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal } from '../../../../src/domain/journal';
import { parseMapping } from '../../../../src/domain/mapping';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../fixtures', path), 'utf8'));

describe('golden journal: the Gusto sample payroll with the spec example mapping', () => {
  const mapping = parseMapping(fixture('journal/spec-example-mapping.json'));
  if (!mapping.ok) throw new Error(mapping.errors.join('\n'));

  it('is the checked-in journal, byte for byte (figures worked by hand in payroll-processed-show.summary.md)', () => {
    const result = buildJournal(fixture('gusto/payroll-processed-show.json') as never, mapping.mapping, {
      mappingVersion: 1,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected = readFileSync(
      join(__dirname, '../../../fixtures/journal/payroll-processed-show.summary.json'),
      'utf8',
    );
    expect(JSON.stringify(result.journal, null, 2) + '\n').toBe(expected);
    expect(result.journal.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });

  it('is the same when Gusto sends the per-employee amounts as JSON numbers (API ≤ 2026-02-01)', () => {
    const payroll = fixture('gusto/payroll-processed-show.json') as {
      employee_compensations: Array<Record<string, unknown>>;
    };
    for (const e of payroll.employee_compensations) {
      for (const k of ['gross_pay', 'net_pay', 'check_amount']) e[k] = Number(e[k]);
      for (const t of e.taxes as Array<{ amount: unknown }>) t.amount = Number(t.amount);
      for (const d of e.deductions as Array<{ amount: unknown }>) d.amount = Number(d.amount);
      for (const b of e.benefits as Array<Record<string, unknown>>) {
        b.employee_deduction = Number(b.employee_deduction);
        b.company_contribution = Number(b.company_contribution);
      }
    }
    const result = buildJournal(payroll as never, mapping.mapping, { mappingVersion: 1 });
    const expected = fixture('journal/payroll-processed-show.summary.json');
    expect(result).toEqual({ ok: true, journal: expected });
  });
});
