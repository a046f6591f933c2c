/**
 * A seeded generator of consistent Gusto payrolls (any size) and of the figures a journal of it must
 * show, computed here independently in integer cents. Seeded so fast-check can drive it cheaply at
 * 500 employees and print a reproducible counterexample.
 */
import type { GustoEmployeeCompensation, GustoPayroll } from '../../../../src/domain/payroll/gusto-payroll';
import type { Role } from '../../../../src/domain/mapping/account-mapping';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  employees: number;
  /** Amount wire format: strings (2026-06-15), JSON numbers (older), or a mix. */
  amounts: 'string' | 'number' | 'mixed';
  /** A reversal payroll: every amount negative. */
  negative?: boolean;
  /** Include the payroll `totals`. */
  totals?: boolean;
  companyTaxes?: boolean;
  departments?: readonly (string | null)[];
  /** Share of employees paid by paper check (0 = all direct deposit). */
  checks?: number;
  /** Gusto's totals.benefits counts imputed contributions too (the other reading of an unconfirmed total). */
  benefitsIncludeImputed?: boolean;
  /** Part of the taxes Gusto does not remit (tax_debit below the payroll's taxes). */
  unremittedTaxes?: boolean;
}

/** Gusto's withdrawals and paper-check total, as the generator sets them in `totals`. */
export interface Debits {
  company: number;
  netPay: number;
  tax: number;
  reimbursement: number;
  childSupport: number;
  checkAmount: number;
  outstanding: number;
}

export const EARNINGS = [
  'Regular Hours',
  'Overtime',
  'Double overtime',
  'Bonus',
  'Commission',
  'Paycheck Tips',
  'Cash Tips',
  'Severance',
];
export const EE_TAXES = ['Federal Income Tax', 'Social Security', 'Medicare', 'CA State Income Tax'];
export const ER_TAXES = ['Social Security', 'Medicare', 'FUTA', 'TX SUTA'];
export const BENEFITS = ['401(k)', 'Medical Insurance', 'Dental', 'Group Term Life'];
export const DEDUCTIONS = ['Equipment Loan Repayment', 'Child Support', 'Union Dues'];
export const REIMBURSEMENTS = ['Mileage', 'Home Office', 'Meals'];
export const DEPARTMENTS = ['Engineering', 'Sales', 'Operations', 'Marketing', null] as const;

export type Expected = Record<Role, number>;

export interface Generated {
  payroll: GustoPayroll;
  /** Per role, the signed cents the journal must carry (natural side positive), liabilities cash mode. */
  expected: Expected;
  /** The same in bank cash mode; the two tax liability roles as one figure under employeeTaxLiability + employerTaxLiability. */
  expectedBank: Expected & { taxRemainder: number };
  debits: Debits;
  /** Imputed benefit contributions in the payroll. */
  imputed: number;
}

export function generatePayroll(seed: number, o: GeneratorOptions): Generated {
  const rnd = prng(seed);
  const int = (max: number) => Math.floor(rnd() * max);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const sign = o.negative ? -1 : 1;
  const cents = (max: number) => sign * int(max);
  const amount = (c: number): string | number => {
    const asNumber = o.amounts === 'number' || (o.amounts === 'mixed' && rnd() < 0.5);
    const text = `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
    return asNumber ? Number(text) : text;
  };
  const expected: Expected = {
    earnings: 0,
    employerTaxExpense: 0,
    employerTaxLiability: 0,
    employeeTaxLiability: 0,
    deductionLiability: 0,
    benefitExpense: 0,
    benefitLiability: 0,
    reimbursementExpense: 0,
    netPay: 0,
    netPayDebit: 0,
    taxDebit: 0,
    reimbursementDebit: 0,
    childSupportDebit: 0,
    outstandingChecks: 0,
    rounding: 0,
    accruedPayroll: 0,
  };
  const totals = { gross: 0, net: 0, ee: 0, er: 0, reimb: 0, benefits: 0, benEe: 0, ded: 0, imputed: 0 };
  const debit = { netPay: 0, reimbursement: 0, childSupport: 0, checkNet: 0, checkReimb: 0 };
  const comps: GustoEmployeeCompensation[] = [];
  for (let i = 0; i < o.employees; i++) {
    const uuid = `emp-${seed >>> 0}-${i}`;
    if (rnd() < 0.03) {
      comps.push({
        employee_uuid: uuid,
        excluded: true,
        gross_pay: null,
        net_pay: null,
        taxes: [{ name: 'junk', employer: true, amount: 'x' as never }],
      });
      continue;
    }
    const fixed: GustoEmployeeCompensation['fixed_compensations'] = [];
    const hourly: GustoEmployeeCompensation['hourly_compensations'] = [];
    let gross = 0;
    let cashTips = 0;
    for (let k = 1 + int(3); k > 0; k--) {
      const name = pick(EARNINGS);
      const c = cents(500000);
      gross += c;
      if (name === 'Cash Tips') cashTips += c;
      else expected.earnings += c;
      if (name.includes('Hours') || name.includes('overtime') || name === 'Overtime')
        hourly.push({ name, hours: '8.000', amount: amount(c) });
      else fixed.push({ name, amount: amount(c) });
    }
    // Unitemized pay (e.g. PTO of hourly staff): in gross_pay, not in any compensation.
    if (rnd() < 0.05) {
      const c = cents(20000);
      gross += c;
      expected.earnings += c;
    }
    const taxes: GustoEmployeeCompensation['taxes'] = [];
    let withheld = cashTips;
    for (const name of EE_TAXES)
      if (rnd() < 0.8) {
        const c = cents(60000);
        withheld += c;
        totals.ee += c;
        expected.employeeTaxLiability += c;
        taxes.push({ name, employer: false, amount: amount(c) });
      }
    for (const name of ER_TAXES)
      if (rnd() < 0.8) {
        const c = cents(30000);
        totals.er += c;
        expected.employerTaxExpense += c;
        expected.employerTaxLiability += c;
        taxes.push({ name, employer: true, amount: amount(c) });
      }
    const benefits: GustoEmployeeCompensation['benefits'] = [];
    for (const name of BENEFITS)
      if (rnd() < 0.3) {
        const imputed = name === 'Group Term Life';
        const ee = cents(40000);
        const er = cents(60000);
        withheld += ee;
        totals.benEe += ee;
        expected.deductionLiability += ee;
        if (imputed)
          totals.imputed += er; // taxable income, not cash: no expense, no liability
        else {
          totals.benefits += er;
          expected.benefitExpense += er;
          expected.benefitLiability += er;
        }
        benefits.push({ name, employee_deduction: amount(ee), company_contribution: amount(er), imputed });
      }
    const deductions: GustoEmployeeCompensation['deductions'] = [];
    for (const name of DEDUCTIONS)
      if (rnd() < 0.15) {
        const c = cents(20000);
        withheld += c;
        totals.ded += c;
        expected.deductionLiability += c;
        if (name === 'Child Support') debit.childSupport += c;
        deductions.push({ name, amount: amount(c) });
      }
    const reimbursements: GustoEmployeeCompensation['reimbursements'] = [];
    let reimbursed = 0;
    for (const description of REIMBURSEMENTS)
      if (rnd() < 0.15) {
        const c = cents(15000);
        reimbursed += c;
        totals.reimb += c;
        expected.reimbursementExpense += c;
        expected.netPay += c;
        reimbursements.push({ description, amount: amount(c) });
      }
    const net = gross - withheld;
    totals.gross += gross;
    totals.net += net;
    expected.netPay += net;
    const byCheck = rnd() < (o.checks ?? 0);
    if (byCheck) {
      debit.checkNet += net;
      debit.checkReimb += reimbursed;
    } else {
      debit.netPay += net;
      debit.reimbursement += reimbursed;
    }
    comps.push({
      employee_uuid: uuid,
      excluded: false,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      gross_pay: amount(gross),
      net_pay: amount(net),
      check_amount: amount(net + reimbursed),
      payment_method: byCheck ? 'Check' : 'Direct Deposit',
      fixed_compensations: fixed,
      hourly_compensations: hourly,
      taxes,
      benefits,
      deductions,
      reimbursements,
      department: pick(o.departments ?? DEPARTMENTS),
    });
  }
  const companyTaxes: GustoPayroll['company_taxes'] = [];
  if (o.companyTaxes) {
    const c = cents(10000);
    totals.er += c;
    expected.employerTaxExpense += c;
    expected.employerTaxLiability += c;
    companyTaxes.push({ name: 'NY MCTMT', employer: true, amount: amount(c) });
  }
  const uuid = `pay-${(seed >>> 0).toString(16)}`;
  const payroll: GustoPayroll = {
    uuid,
    payroll_uuid: uuid,
    company_uuid: 'company-1',
    check_date: '2026-01-23',
    processed: true,
    off_cycle: o.negative === true,
    off_cycle_reason: o.negative ? 'Reversal' : null,
    pay_period: { start_date: '2026-01-04', end_date: '2026-01-17' },
    company_taxes: companyTaxes,
    employee_compensations: comps,
  };
  const taxes = totals.ee + totals.er;
  const unremitted = o.unremittedTaxes ? Math.trunc(taxes / 10) : 0;
  const debits: Debits = {
    netPay: debit.netPay,
    tax: taxes - unremitted,
    reimbursement: debit.reimbursement,
    childSupport: debit.childSupport,
    company: debit.netPay + taxes - unremitted + debit.reimbursement + debit.childSupport,
    checkAmount: debit.checkNet,
    outstanding: debit.checkNet + debit.checkReimb,
  };
  if (o.totals) {
    // Gusto's totals as text (to the cent, every version): never floats.
    const s = (c: number) =>
      `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
    payroll.totals = {
      gross_pay: s(totals.gross),
      net_pay: s(totals.net),
      employee_taxes: s(totals.ee),
      employer_taxes: s(totals.er),
      reimbursements: s(totals.reimb),
      benefits: s(totals.benefits + (o.benefitsIncludeImputed ? totals.imputed : 0)),
      employee_benefits_deductions: s(totals.benEe),
      other_deductions: s(totals.ded),
      imputed_pay: s(totals.imputed),
      company_debit: s(debits.company),
      net_pay_debit: s(debits.netPay),
      tax_debit: s(debits.tax),
      reimbursement_debit: s(debits.reimbursement),
      child_support_debit: s(debits.childSupport),
      check_amount: s(debits.checkAmount),
    };
  }
  const expectedBank = {
    ...expected,
    netPay: 0,
    netPayDebit: debits.netPay,
    taxDebit: debits.tax,
    reimbursementDebit: debits.reimbursement,
    childSupportDebit: debits.childSupport,
    outstandingChecks: debits.outstanding,
    deductionLiability: expected.deductionLiability - debits.childSupport,
    employeeTaxLiability: 0,
    employerTaxLiability: 0,
    taxRemainder: unremitted,
  };
  return { payroll, expected, expectedBank, debits, imputed: totals.imputed };
}
