/**
 * Does the payroll add up? Two checks, both exact in cents:
 * 1. each employee: net_pay = gross_pay − employee taxes − post-tax deductions − benefit deductions − cash tips
 *    (Gusto's own definition, gusto.md §4.5). The journal balances exactly when this holds for every
 *    employee, so a payroll that breaks it is refused rather than posted unbalanced.
 * 2. the payroll `totals` Gusto sent (when it sent them) equal the sums over the employees: a missing
 *    page of `employee_compensations` or a changed payroll shows up here.
 * `employer_taxes` is compared with employee employer taxes plus `company_taxes`; whether Gusto's total
 * includes `company_taxes` is unconfirmed (gusto.md §9), so the employee-only sum is accepted as well.
 * Likewise `benefits` is accepted with or without the imputed contributions (unconfirmed which Gusto
 * means); `imputed_pay` is compared with the imputed contributions.
 */
import { formatCents, type Cents } from '../money';
import type { ComponentKind, PayrollPay, ReconciledTotal } from './pay-components';

export interface TotalsMismatch {
  code: 'totals_mismatch';
  /** `totals.gross_pay`, …, or `employee <uuid> net_pay`. */
  total: string;
  /** Gusto's figure and ours, 2-place strings; difference = gusto − computed. */
  gusto: string;
  computed: string;
  difference: string;
  employeeUuid?: string;
  message: string;
}

const MAX_EMPLOYEE_MISMATCHES = 50;

/** `benefits` counts company contributions that are not imputed; `imputed_pay` the imputed ones. */
export type PayrollSums = Record<ReconciledTotal, Cents> & { employerTaxesOfEmployees: Cents; cashTips: Cents };

/** The sum each kind of component adds to; earnings and net pay come from the employee's own figures. */
const SUM_OF: Record<ComponentKind, keyof PayrollSums | null> = {
  employeeTax: 'employee_taxes',
  employerTax: 'employerTaxesOfEmployees',
  reimbursement: 'reimbursements',
  benefitCompany: 'benefits',
  benefitImputed: 'imputed_pay',
  benefitEmployee: 'employee_benefits_deductions',
  deduction: 'other_deductions',
  cashTips: 'cashTips',
  earning: null,
  netPay: null,
};

export function sumPayroll(pay: PayrollPay): PayrollSums {
  const s: PayrollSums = {
    gross_pay: 0,
    net_pay: 0,
    employee_taxes: 0,
    employer_taxes: 0,
    reimbursements: 0,
    benefits: 0,
    employee_benefits_deductions: 0,
    other_deductions: 0,
    imputed_pay: 0,
    employerTaxesOfEmployees: 0,
    cashTips: 0,
  };
  for (const e of pay.employees) {
    s.gross_pay += e.grossPay;
    s.net_pay += e.netPay;
    for (const c of e.components) {
      const sum = SUM_OF[c.kind];
      if (sum !== null) s[sum] += c.cents;
    }
  }
  s.employer_taxes = s.employerTaxesOfEmployees;
  for (const t of pay.companyTaxes) s.employer_taxes += t.cents;
  return s;
}

export function reconcilePayroll(pay: PayrollPay, sums: PayrollSums = sumPayroll(pay)): TotalsMismatch[] {
  const out: TotalsMismatch[] = [];
  let employeeMismatches = 0;
  const rest = { gusto: 0, computed: 0 };
  for (const e of pay.employees) {
    let withheld = 0;
    for (const c of e.components) {
      if (c.kind === 'employeeTax' || c.kind === 'deduction' || c.kind === 'benefitEmployee' || c.kind === 'cashTips')
        withheld += c.cents;
    }
    const computed = e.grossPay - withheld;
    if (computed !== e.netPay) {
      employeeMismatches += 1;
      if (employeeMismatches <= MAX_EMPLOYEE_MISMATCHES) {
        out.push(
          mismatch(
            `employee ${e.employeeUuid} net_pay`,
            e.netPay,
            computed,
            `employee ${e.employeeUuid} (${e.displayName}): net_pay is ${formatCents(e.netPay)} but gross pay − employee taxes − deductions − benefit deductions − cash tips = ${formatCents(computed)}`,
            e.employeeUuid,
          ),
        );
      } else {
        rest.gusto += e.netPay;
        rest.computed += computed;
      }
    }
  }
  if (employeeMismatches > MAX_EMPLOYEE_MISMATCHES) {
    const more = employeeMismatches - MAX_EMPLOYEE_MISMATCHES;
    out.push(
      mismatch(
        'employees net_pay',
        rest.gusto,
        rest.computed,
        `${more} more employee(s) whose net_pay does not add up: together ${formatCents(rest.gusto)} against ${formatCents(rest.computed)}`,
      ),
    );
  }
  for (const key of Object.keys(pay.totals) as ReconciledTotal[]) {
    const gusto = pay.totals[key] as Cents;
    if (gusto === sums[key]) continue;
    if (key === 'employer_taxes' && gusto === sums.employerTaxesOfEmployees) continue;
    if (key === 'benefits' && gusto === sums.benefits + sums.imputed_pay) continue;
    out.push(
      mismatch(
        `totals.${key}`,
        gusto,
        sums[key],
        `totals.${key}: Gusto says ${formatCents(gusto)}, the employees add up to ${formatCents(sums[key])}`,
      ),
    );
  }
  return out;
}

/** A totals_mismatch naming the figure, both sides and their difference; `what` is the message before the difference. */
export function mismatch(
  total: string,
  gusto: Cents,
  computed: Cents,
  what: string,
  employeeUuid?: string,
): TotalsMismatch {
  const difference = formatCents(gusto - computed);
  return {
    code: 'totals_mismatch',
    total,
    gusto: formatCents(gusto),
    computed: formatCents(computed),
    difference,
    ...(employeeUuid === undefined ? {} : { employeeUuid }),
    message: `${what} (difference ${difference})`,
  };
}
