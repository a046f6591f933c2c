/**
 * A payroll as the accounting core sees it: per employee, what was paid, withheld and contributed,
 * each as a named component in exact integer cents (see `money.ts`).
 */
import type { Cents, MalformedAmount } from '../money';

/**
 * - `earning`: gross pay by compensation name (fixed, hourly incl. Overtime/Double overtime, bonus, …).
 * - `cashTips`: the `Cash Tips` compensation: part of Gusto's gross pay, but the employee already holds
 *   the cash (customers paid it), so net pay excludes it. It is reported, never posted (see journal).
 * - `employeeTax` / `employerTax`: by tax name (`employer` flag); payroll-level `company_taxes` are employer taxes.
 * - `benefitEmployee` / `benefitCompany`: a benefit's `employee_deduction` / `company_contribution`, by benefit name.
 * - `benefitImputed`: the `company_contribution` of an `imputed: true` benefit (e.g. group-term life over
 *   $50k): taxable income that is not cash. It posts nothing; its taxes are ordinary tax components.
 * - `deduction`: post-tax deductions and garnishments, by name.
 * - `reimbursement`: by `description`; paid out with net pay.
 * - `netPay`: the employee's net pay.
 */
export type ComponentKind =
  | 'earning'
  | 'cashTips'
  | 'employeeTax'
  | 'employerTax'
  | 'benefitEmployee'
  | 'benefitCompany'
  | 'benefitImputed'
  | 'deduction'
  | 'reimbursement'
  | 'netPay';

export interface PayComponent {
  kind: ComponentKind;
  /** Gusto's name, exact: compensation/tax/benefit/deduction `name`, reimbursement `description`. */
  name: string;
  cents: Cents;
  /** Benefits only: Gusto's `imputed` flag (an imputed company contribution is kind `benefitImputed`). */
  imputed?: boolean;
}

export interface EmployeePay {
  employeeUuid: string;
  /** "First Last" (preferred first name when given), or the uuid when Gusto sent no name. */
  displayName: string;
  /** The Gusto department the connector attached, or null. */
  department: string | null;
  /** Gusto's `gross_pay` and `net_pay` for the employee. */
  grossPay: Cents;
  netPay: Cents;
  /** In input order; includes one `netPay` component and, when needed, the unitemized earnings residual. */
  components: PayComponent[];
}

/** Gusto `totals` names the core reconciles against. */
export const RECONCILED_TOTALS = [
  'gross_pay',
  'net_pay',
  'employee_taxes',
  'employer_taxes',
  'reimbursements',
  'benefits',
  'employee_benefits_deductions',
  'other_deductions',
  'imputed_pay',
] as const;
export type ReconciledTotal = (typeof RECONCILED_TOTALS)[number];

/**
 * Gusto's bank withdrawals (`*_debit`) and paper-check total: read for bank cash mode and the tie-out.
 * `company_debit` = the sum of the four withdrawals (reference §4.4).
 */
export const DEBIT_TOTALS = [
  'company_debit',
  'net_pay_debit',
  'tax_debit',
  'reimbursement_debit',
  'child_support_debit',
  'check_amount',
] as const;
export type DebitTotal = (typeof DEBIT_TOTALS)[number];

export interface PayrollPay {
  payrollUuid: string;
  checkDate: string;
  payPeriod: { startDate: string; endDate: string } | null;
  /**
   * The date Gusto takes the money from the company's bank: `payment_speed_changed.current_debit_date` when
   * Gusto moved it, else the date part of `payroll_status_meta.expected_debit_time` (as Gusto writes it, in
   * its own offset). Null/absent when Gusto's answer has neither (older data, no `include=payroll_status_meta`).
   */
  debitDate?: string | null;
  offCycle: boolean;
  offCycleReason: string | null;
  /** Employees not `excluded`, in Gusto's order. */
  employees: EmployeePay[];
  /** Payroll-level `company_taxes`, all employer taxes. */
  companyTaxes: PayComponent[];
  /** The payroll `totals` present in the response (in cents). */
  totals: Partial<Record<ReconciledTotal, Cents>>;
  /** Gusto's withdrawals and paper-check total, those present (in cents). */
  debits: Partial<Record<DebitTotal, Cents>>;
  /** Non-blocking findings, e.g. a residual of unitemized earnings. */
  warnings: string[];
}

/**
 * The name under which the difference between an employee's Gusto `gross_pay` and its itemized
 * compensations is posted (PTO pay of hourly staff may only show as that remainder: gusto.md §8).
 * Maps via `earnings:Unitemized earnings`, else `earnings`.
 */
export const UNITEMIZED_EARNINGS = 'Unitemized earnings';
/** Gusto's earning type for tips the employee received in cash. */
export const CASH_TIPS = 'Cash Tips';
/** Component name of an employee's net pay (mapping key `netPay:Net pay`, else `netPay`). */
export const NET_PAY = 'Net pay';

export interface InvalidPayroll {
  code: 'invalid_payroll';
  path: string;
  message: string;
}

export type PayrollReadError = MalformedAmount | InvalidPayroll;
