/** journal.entryDate, journal.rounding.toleranceCents (+ role rounding), journal.splitLiabilitiesByDepartment. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal, type Journal } from '../../../../src/domain/journal';
import { parseMapping, type AccountMapping } from '../../../../src/domain/mapping';

const dir = join(__dirname, '../../../fixtures');
const fixture = (name: string): any => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const mapping = (base: string, change: (doc: any) => void): AccountMapping => {
  const doc = fixture(base);
  change(doc);
  const parsed = parseMapping(doc);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.mapping;
};
const ok = (payroll: unknown, m: AccountMapping): Journal => {
  const r = buildJournal(payroll as never, m, { mappingVersion: 2 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.journal;
};
const golden = (): Journal => fixture('journal/payroll-processed-show.summary.json');

describe('journal.entryDate', () => {
  it('check_date (default) dates the journal on the check date; period_end on the pay period end', () => {
    expect(
      ok(
        fixture('gusto/payroll-processed-show.json'),
        mapping('journal/spec-example-mapping.json', (d) => {
          d.journal.entryDate = 'check_date';
        }),
      ).header.transactionDate,
    ).toBe('2026-01-23');
    const j = ok(
      fixture('gusto/payroll-processed-show.json'),
      mapping('journal/spec-example-mapping.json', (d) => {
        d.journal.entryDate = 'period_end';
      }),
    );
    expect(j.header.transactionDate).toBe('2026-01-17');
    expect(j.lines).toEqual(golden().lines);
  });
  it('period_end on a payroll without a pay period falls back to the check date, with a warning', () => {
    const p = fixture('gusto/payroll-processed-show.json');
    delete p.pay_period;
    const j = ok(
      p,
      mapping('journal/spec-example-mapping.json', (d) => {
        d.journal.entryDate = 'period_end';
      }),
    );
    expect(j.header.transactionDate).toBe('2026-01-23');
    expect(j.warnings).toEqual([
      'entry date: the payroll has no pay period, so the journal is dated on its check date',
    ]);
  });
});

describe('journal.rounding.toleranceCents', () => {
  const offByOneCent = () => {
    const p = fixture('gusto/payroll-processed-show.json');
    p.totals.gross_pay = '9136.01';
    return p;
  };
  it('default 0: a one-cent difference against Gusto totals blocks, as in v1', () => {
    const r = buildJournal(
      offByOneCent(),
      mapping('journal/spec-example-mapping.json', () => undefined),
      { mappingVersion: 2 },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        expect.objectContaining({ code: 'totals_mismatch', total: 'totals.gross_pay', difference: '0.01' }),
      ]);
  });
  it('within the tolerance: posts (lines from the employees, so the journal balances without a rounding line), with a warning naming it', () => {
    const j = ok(
      offByOneCent(),
      mapping('journal/spec-example-mapping.json', (d) => {
        d.journal.rounding = { toleranceCents: 1 };
      }),
    );
    expect(j.lines).toEqual(golden().lines);
    expect(j.warnings).toEqual([
      'rounding: totals.gross_pay: Gusto says 9136.01, the employees add up to 9136.00 (difference 0.01), within the 0.01 tolerance',
    ]);
  });
  it('above the tolerance: blocks', () => {
    const p = offByOneCent();
    p.totals.gross_pay = '9136.03';
    const r = buildJournal(
      p,
      mapping('journal/spec-example-mapping.json', (d) => {
        d.journal.rounding = { toleranceCents: 2 };
      }),
      { mappingVersion: 2 },
    );
    expect(r.ok).toBe(false);
  });
  it('bank mode: cash lines come from the totals, so a tolerated difference goes to the rounding account', () => {
    const p = fixture('journal/bank-example.payroll.json');
    p.totals.net_pay = '7092.80'; // Gusto's total one cent above the employees: paper checks 1819.85
    const m = mapping('journal/bank-example-mapping.json', (d) => {
      d.journal.rounding = { toleranceCents: 1 };
      d.accounts.rounding = { account: '60000' };
    });
    const j = ok(p, m);
    const roundingLine = j.lines.find((l) => l.mappingKey === 'rounding');
    expect(roundingLine).toMatchObject({ account: '60000', side: 'debit', amount: '0.01' });
    expect(j.lines.find((l) => l.mappingKey === 'outstandingChecks')?.amount).toBe('1819.85');
    expect(j.totals).toEqual({ debit: '10774.73', credit: '10774.73' });
    expect(j.warnings).toEqual(
      expect.arrayContaining([
        'rounding: totals.net_pay: Gusto says 7092.80, the employees add up to 7092.79 (difference 0.01), within the 0.01 tolerance',
        'rounding: 0.01 posted to the rounding account so the journal balances',
      ]),
    );
  });
  it('bank mode: child support deductions one cent off child_support_debit, within tolerance, go to rounding', () => {
    const p = fixture('journal/bank-example.payroll.json');
    p.totals.child_support_debit = '100.01';
    p.totals.company_debit = '7929.89';
    const m = mapping('journal/bank-example-mapping.json', (d) => {
      d.journal.rounding = { toleranceCents: 1 };
      d.accounts.rounding = { account: '60000' };
    });
    const j = ok(p, m);
    expect(j.lines.find((l) => l.mappingKey === 'rounding')).toMatchObject({ side: 'debit', amount: '0.01' });
    expect(j.totals.debit).toBe(j.totals.credit);
  });
});

describe('journal.splitLiabilitiesByDepartment', () => {
  const withDepartments = () => {
    const p = fixture('gusto/payroll-processed-show.json');
    p.employee_compensations[0].department = 'Engineering';
    p.employee_compensations[1].department = 'Sales';
    p.employee_compensations[2].department = 'Engineering';
    return p;
  };
  it('false (default): in department detail liability lines are company-wide, as in v1', () => {
    const j = ok(
      withDepartments(),
      mapping('journal/spec-example-mapping.json', (d) => {
        d.journal.detail = 'department';
      }),
    );
    expect(j.lines.filter((l) => l.side === 'credit' && l.department !== undefined)).toEqual([]);
  });
  it('true: liability lines carry the department and its subaccount too (department and employee detail)', () => {
    for (const detail of ['department', 'employee']) {
      const j = ok(
        withDepartments(),
        mapping('journal/spec-example-mapping.json', (d) => {
          d.journal.detail = detail;
          d.journal.splitLiabilitiesByDepartment = true;
        }),
      );
      const engineering = j.lines.filter((l) => l.side === 'credit' && l.department === 'Engineering');
      expect(engineering.length).toBeGreaterThan(0);
      for (const l of engineering) expect(l.subaccount).toBe('100000');
      expect(j.warnings).toContain(
        'department "Sales" is not in subaccountsByDepartment: its lines use the mapped subaccount',
      );
      expect(j.totals.debit).toBe('10773.81');
    }
  });
});
