import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPayroll } from '../../../../src/domain/payroll/read-payroll';
import { reconcilePayroll, sumPayroll } from '../../../../src/domain/payroll/reconcile';
import type { PayrollPay } from '../../../../src/domain/payroll/pay-components';

const sample = (): any =>
  JSON.parse(readFileSync(join(__dirname, '../../../fixtures/gusto/payroll-processed-show.json'), 'utf8'));
const read = (p: unknown): PayrollPay => {
  const r = readPayroll(p as never);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pay;
};

describe('readPayroll', () => {
  it('turns the sample into named components per employee, in cents', () => {
    const pay = read(sample());
    expect(pay).toMatchObject({
      payrollUuid: 'c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48',
      checkDate: '2026-01-23',
      payPeriod: { startDate: '2026-01-04', endDate: '2026-01-17' },
      offCycle: false,
      warnings: [],
    });
    const jordan = pay.employees[1];
    expect(jordan).toMatchObject({
      employeeUuid: '2b8d4c6e-0f1a-4b73-9e25-7a3c5d8f1e29',
      displayName: 'Jordan Ruiz',
      department: null,
      grossPay: 213600,
      netPay: 177424,
    });
    expect(jordan.components).toEqual([
      { kind: 'earning', name: 'Regular Hours', cents: 192000 },
      { kind: 'earning', name: 'Overtime', cents: 21600 },
      { kind: 'employeeTax', name: 'Federal Income Tax', cents: 14836 },
      { kind: 'employeeTax', name: 'Social Security', cents: 13243 },
      { kind: 'employeeTax', name: 'Medicare', cents: 3097 },
      { kind: 'employerTax', name: 'Social Security', cents: 13243 },
      { kind: 'employerTax', name: 'Medicare', cents: 3097 },
      { kind: 'employerTax', name: 'FUTA', cents: 1282 },
      { kind: 'employerTax', name: 'TX SUTA', cents: 5767 },
      { kind: 'deduction', name: 'Equipment Loan Repayment', cents: 5000 },
      { kind: 'reimbursement', name: 'Mileage', cents: 4560 },
      { kind: 'netPay', name: 'Net pay', cents: 177424 },
    ]);
    expect(pay.employees[2].components.filter((c) => c.kind.startsWith('benefit'))).toEqual([
      { kind: 'benefitEmployee', name: '401(k)', cents: 24000 },
      { kind: 'benefitCompany', name: '401(k)', cents: 16000 },
      { kind: 'benefitEmployee', name: 'Medical Insurance', cents: 12500 },
      { kind: 'benefitCompany', name: 'Medical Insurance', cents: 45000 },
    ]);
    expect(pay.totals).toEqual({
      gross_pay: 913600,
      net_pay: 719370,
      employee_taxes: 152730,
      employer_taxes: 98221,
      reimbursements: 4560,
      benefits: 61000,
      employee_benefits_deductions: 36500,
      other_deductions: 5000,
      imputed_pay: 0,
    });
  });

  it('the sample reconciles: every employee and every total', () => {
    const pay = read(sample());
    expect(reconcilePayroll(pay)).toEqual([]);
    expect(sumPayroll(pay)).toMatchObject({ gross_pay: 913600, net_pay: 719370, employer_taxes: 98221, cashTips: 0 });
  });

  it('skips excluded employees; company_taxes are employer taxes; Cash Tips are their own kind; department kept', () => {
    const p = sample();
    p.employee_compensations[0].excluded = true;
    p.employee_compensations[1].department = 'Engineering';
    p.employee_compensations[1].fixed_compensations = [{ name: 'Cash Tips', amount: '10.00' }];
    p.company_taxes = [{ name: 'NY MCTMT', employer: false, amount: 1.5 }];
    const pay = read(p);
    expect(pay.employees.map((e) => e.displayName)).toEqual(['Jordan Ruiz', 'Priya Natarajan']);
    expect(pay.employees[0].department).toBe('Engineering');
    expect(pay.employees[0].components[0]).toEqual({ kind: 'cashTips', name: 'Cash Tips', cents: 1000 });
    expect(pay.companyTaxes).toEqual([{ kind: 'employerTax', name: 'NY MCTMT', cents: 150 }]);
  });

  it('reads amounts sent as JSON numbers exactly as the same strings', () => {
    const p = sample();
    for (const e of p.employee_compensations) for (const t of e.taxes) t.amount = Number(t.amount);
    expect(read(p)).toEqual(read(sample()));
  });

  it('names every malformed amount and shape problem with its path, and stops at 100', () => {
    const p = sample();
    p.employee_compensations[0].hourly_compensations[0].amount = '3000.001';
    p.employee_compensations[1].taxes[0] = { name: 'Federal Income Tax', amount: '1.00' };
    p.employee_compensations[2].benefits[0].name = '';
    p.totals.net_pay = 'n/a';
    p.check_date = '23/01/2026';
    const r = readPayroll(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.code} ${e.path}`)).toEqual([
      'invalid_payroll check_date',
      'malformed_amount totals.net_pay',
      'malformed_amount employee_compensations[0].hourly_compensations[0].amount',
      'invalid_payroll employee_compensations[1].taxes[0]',
      'invalid_payroll employee_compensations[2].benefits[0].name',
    ]);
    const many = sample();
    many.employee_compensations = Array.from({ length: 300 }, (_, i) => ({
      employee_uuid: `e${i}`,
      gross_pay: 'x',
      net_pay: 'y',
    }));
    const r2 = readPayroll(many);
    expect(!r2.ok && r2.errors.length).toBe(100);
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (junk, comp) => {
        readPayroll(junk as never);
        const p = sample();
        p.employee_compensations[1] = comp;
        const r = readPayroll(p);
        if (!r.ok)
          expect(r.errors.every((e) => e.code === 'invalid_payroll' || e.code === 'malformed_amount')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
