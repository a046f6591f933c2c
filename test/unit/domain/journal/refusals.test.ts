import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal, reverseJournal, type Journal } from '../../../../src/domain/journal';
import { parseMapping, type AccountMapping } from '../../../../src/domain/mapping';
import type { GustoPayroll } from '../../../../src/domain/payroll/gusto-payroll';
import { expectNetsToZero } from './journal-assertions';

const fixturesDir = join(__dirname, '../../../fixtures');

const sample = (): any => JSON.parse(readFileSync(join(fixturesDir, 'gusto/payroll-processed-show.json'), 'utf8'));
const specMapping = (change: (doc: any) => void = () => undefined): AccountMapping => {
  const doc = JSON.parse(readFileSync(join(fixturesDir, 'journal/spec-example-mapping.json'), 'utf8'));
  change(doc);
  const parsed = parseMapping(doc);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.mapping;
};
const build = (payroll: unknown, mapping = specMapping()) =>
  buildJournal(payroll as GustoPayroll, mapping, { mappingVersion: 3 });
const ok = (r: ReturnType<typeof build>): Journal => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.journal;
};

describe('buildJournal refusals', () => {
  it('unmapped_component: names every missing key at once, as "override or role"', () => {
    const p = sample();
    p.employee_compensations[0].fixed_compensations = [{ name: 'Bonus', amount: '100.00' }];
    p.employee_compensations[0].gross_pay = '3100.00';
    p.employee_compensations[0].net_pay = '2583.08';
    delete p.totals;
    const r = build(
      p,
      specMapping((doc) => {
        delete doc.accounts.earnings;
        delete doc.accounts.benefitExpense;
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          code: 'unmapped_component',
          missingKeys: [
            'benefitExpense:401(k) or benefitExpense',
            'benefitExpense:Medical Insurance or benefitExpense',
            'earnings:Bonus or earnings',
            'earnings:Regular Hours or earnings',
          ],
          message:
            'no account mapped for: benefitExpense:401(k) or benefitExpense; benefitExpense:Medical Insurance or benefitExpense; earnings:Bonus or earnings; earnings:Regular Hours or earnings',
        },
      ],
    });
  });

  it('totals_mismatch: each differing total with both figures and the difference', () => {
    const p = sample();
    p.totals.gross_pay = '9137.00';
    p.totals.employer_taxes = '982.20';
    const r = build(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'totals_mismatch',
        total: 'totals.gross_pay',
        gusto: '9137.00',
        computed: '9136.00',
        difference: '1.00',
      }),
      expect.objectContaining({
        code: 'totals_mismatch',
        total: 'totals.employer_taxes',
        gusto: '982.20',
        computed: '982.21',
        difference: '-0.01',
      }),
    ]);
    expect(r.errors[0].message).toBe(
      'totals.gross_pay: Gusto says 9137.00, the employees add up to 9136.00 (difference 1.00)',
    );
  });

  it("totals_mismatch: an employee whose net pay does not follow from Gusto's own figures", () => {
    const p = sample();
    p.employee_compensations[1].net_pay = '1774.25';
    delete p.totals;
    const r = build(p);
    expect(r).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'totals_mismatch',
          employeeUuid: p.employee_compensations[1].employee_uuid,
          gusto: '1774.25',
          computed: '1774.24',
          difference: '0.01',
        }),
      ],
    });
    if (!r.ok) expect(r.errors[0].message).toContain('Jordan Ruiz');
  });

  it.each([['12.3.4'], [''], ['abc'], [NaN], [Infinity], ['186.001']])(
    'malformed_amount %p: named with the path of the field',
    (bad) => {
      const p = sample();
      p.employee_compensations[2].taxes[1].amount = bad;
      const r = build(p);
      expect(r).toEqual({
        ok: false,
        errors: [
          expect.objectContaining({ code: 'malformed_amount', path: 'employee_compensations[2].taxes[1].amount' }),
        ],
      });
    },
  );

  it('invalid_payroll: an unprocessed payroll, a missing net pay, an employee listed twice', () => {
    const p = sample();
    p.processed = false;
    p.employee_compensations[0].net_pay = null;
    p.employee_compensations.push(p.employee_compensations[1]);
    const r = build(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, 'path' in e ? e.path : ''])).toEqual([
      ['invalid_payroll', 'processed'],
      ['invalid_payroll', 'employee_compensations[0].net_pay'],
      ['invalid_payroll', 'employee_compensations[3].employee_uuid'],
    ]);
  });

  it('excluded employees contribute nothing, whatever they carry', () => {
    const p = sample();
    p.employee_compensations.push({
      employee_uuid: 'x',
      excluded: true,
      gross_pay: 'junk',
      net_pay: null,
      taxes: [{ name: 'Medicare', employer: true, amount: '99.00' }],
    });
    expect(ok(build(p))).toEqual(ok(build(sample())));
  });
});

describe('department detail', () => {
  const deptMapping = specMapping((doc) => {
    doc.journal.detail = 'department';
  });

  it('splits expense lines by department with its subaccount; an unknown department falls back with a warning', () => {
    const p = sample();
    p.employee_compensations[0].department = 'Engineering';
    p.employee_compensations[1].department = 'Sales';
    const j = ok(build(p, deptMapping));
    expect(j.warnings).toEqual([
      'department "Sales" is not in subaccountsByDepartment: its expense lines use the mapped subaccount',
      '1 employee(s) have no Gusto department: their expense lines use the mapped subaccount',
    ]);
    const regular = j.lines.filter((l) => l.mappingKey === 'earnings');
    expect(regular).toEqual([
      expect.objectContaining({ account: '60000', subaccount: '000000', side: 'debit', amount: '4000.00' }), // Priya, no department
      expect.objectContaining({
        account: '60000',
        subaccount: '000000',
        side: 'debit',
        amount: '1920.00',
        department: 'Sales',
      }),
      expect.objectContaining({
        account: '60000',
        subaccount: '100000',
        side: 'debit',
        amount: '3000.00',
        department: 'Engineering',
      }),
    ]);
    // Liabilities are not split.
    expect(j.lines.filter((l) => l.side === 'credit').every((l) => l.department === undefined)).toBe(true);
    expect(j.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });

  it('employee detail: one line per employee and component, every employee line tagged', () => {
    const j = ok(
      build(
        sample(),
        specMapping((doc) => {
          doc.journal.detail = 'employee';
        }),
      ),
    );
    const avery = j.lines.filter((l) => l.employeeUuid === '1e6f3b2a-7c9d-4a51-b8e2-0f4d6c3a9b17');
    expect(avery.filter((l) => l.mappingKey === 'employerTaxExpense').map((l) => [l.memo, l.amount])).toEqual([
      ['Employer taxes: FUTA — Avery Chen', '18.00'],
      ['Employer taxes: Medicare — Avery Chen', '43.50'],
      ['Employer taxes: Social Security — Avery Chen', '186.00'],
      ['Employer taxes: TX SUTA — Avery Chen', '81.00'],
    ]);
    expect(j.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });
});

describe('negative amounts, imputed benefits, cash tips, reversal', () => {
  const negate = (v: unknown): unknown =>
    typeof v === 'string' && /^\d+\.\d\d$/.test(v) && v !== '0.00' ? `-${v}` : v;
  const negateAll = (o: any): any =>
    Array.isArray(o)
      ? o.map(negateAll)
      : o && typeof o === 'object'
        ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, negateAll(v)]))
        : negate(o);

  it('a reversal payroll (negative amounts) posts positive amounts on the other side: the mirror of the original', () => {
    const original = ok(build(sample()));
    const negative = negateAll(sample());
    const j = ok(build(negative));
    expect(j.lines.every((l) => !l.amount.startsWith('-'))).toBe(true);
    expectNetsToZero(original, {
      ...j,
      kind: 'reversal',
      tag: `gusto-reversal:${original.payrollUuid}`,
      header: { ...j.header, description: `x [gusto-reversal:${original.payrollUuid}]` },
    });
  });

  it('reverseJournal swaps every side, re-tags, keeps the amounts: nets to zero with the original', () => {
    const original = ok(build(sample()));
    const reversal = reverseJournal(original, original.payrollUuid);
    expectNetsToZero(original, reversal);
    expect(reversal.header.description).toBe(
      'Reversal of Gusto payroll 2026-01-04–2026-01-17 [gusto-reversal:c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48]',
    );
    expect(reversal.lines.map((l) => l.amount)).toEqual(original.lines.map((l) => l.amount));
    expect(reversal.mappingVersion).toBe(3);
  });

  it('cash tips are in gross and out of net: no line, employer taxes on them still posted, still balanced', () => {
    const p = sample();
    const e = p.employee_compensations[0];
    e.fixed_compensations = [{ name: 'Cash Tips', amount: '200.00' }];
    e.gross_pay = '3200.00'; // net unchanged: the employee already holds the cash
    delete p.totals;
    const j = ok(build(p));
    expect(j.lines.some((l) => l.memo.includes('Cash Tips'))).toBe(false);
    expect(j.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });

  it('imputed benefits post no benefit expense and no benefit liability (issue 14); totals.benefits may or may not count them', () => {
    for (const benefitsTotal of ['610.00', '622.00']) {
      const p = sample();
      p.employee_compensations[2].benefits.push({
        name: 'Group Term Life',
        employee_deduction: '0.00',
        company_contribution: '12.00',
        imputed: true,
      });
      p.totals.benefits = benefitsTotal;
      p.totals.imputed_pay = '12.00';
      const j = ok(build(p));
      expect(j.lines.filter((l) => l.memo.includes('Group Term Life'))).toEqual([]);
      expect(j.lines.find((l) => l.account === '62000')?.amount).toBe('610.00');
      expect(j.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
    }
  });

  it('imputed benefits: totals.imputed_pay is reconciled, and benefits refused only when neither reading ties', () => {
    const p = sample();
    p.employee_compensations[2].benefits.push({
      name: 'Group Term Life',
      employee_deduction: '0.00',
      company_contribution: '12.00',
      imputed: true,
    });
    p.totals.benefits = '615.00';
    const r = build(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => (e.code === 'totals_mismatch' ? `${e.total} ${e.difference}` : e.code))).toEqual([
      'totals.benefits 5.00',
      'totals.imputed_pay -12.00',
    ]);
  });

  it('gross pay above the itemized compensations is posted as "Unitemized earnings", with a warning', () => {
    const p = sample();
    p.employee_compensations[0].hourly_compensations[0].amount = '2900.00';
    const j = ok(build(p));
    expect(j.lines.find((l) => l.mappingKey === 'earnings')?.memo).toBe(
      'Gross wages: Regular Hours, Unitemized earnings',
    );
    expect(j.warnings).toEqual([
      '1 employee(s): gross_pay differs from the itemized compensations by 100.00 in all; posted as "Unitemized earnings"',
    ]);
    expect(j.totals.debit).toBe('10773.81');
  });

  it('company_taxes are employer taxes; totals.employer_taxes may or may not include them', () => {
    const p = sample();
    p.company_taxes = [{ name: 'NY MCTMT', employer: true, amount: '5.00' }];
    expect(ok(build(p)).totals.debit).toBe('10778.81');
    p.totals.employer_taxes = '987.21';
    expect(ok(build(p)).totals.debit).toBe('10778.81');
  });

  it('the header keeps the tag within 256 characters', () => {
    const p = sample();
    p.off_cycle = true;
    p.off_cycle_reason = 'x'.repeat(400);
    const d = ok(build(p)).header.description;
    expect(d.length).toBe(256);
    expect(d.endsWith('[gusto:c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48]')).toBe(true);
  });
});

describe('older API shapes', () => {
  it('≤ 2025-06-15: a fixed compensation "Reimbursement" (no reimbursements array) is a reimbursement, not wages', () => {
    const p = sample();
    const jordan = p.employee_compensations[1];
    delete jordan.reimbursements;
    jordan.fixed_compensations = [{ name: 'Reimbursement', amount: '45.60' }];
    for (const e of p.employee_compensations) if (e !== jordan) delete e.reimbursements;
    const j = ok(build(p));
    expect(j.lines.find((l) => l.account === '64000')).toMatchObject({
      side: 'debit',
      amount: '45.60',
      memo: 'Reimbursements: Reimbursement',
    });
    expect(j.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });
});
