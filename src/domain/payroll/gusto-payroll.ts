/**
 * Gusto's payroll and employee shapes as the API sends them (see README "Gusto API").
 * Money arrives as decimal strings (2026-06-15) or JSON numbers (older versions): `GustoAmount`.
 * These are wire types: the domain converts them to exact decimals at its edge and never adds them as numbers.
 */
export type GustoAmount = string | number;

export interface GustoTax {
  name: string;
  employer: boolean;
  amount: GustoAmount;
}
export interface GustoBenefit {
  name: string;
  employee_deduction: GustoAmount;
  company_contribution: GustoAmount;
  imputed?: boolean;
}
export interface GustoDeduction {
  name: string;
  amount: GustoAmount;
  amount_type?: string;
  uuid?: string;
}
export interface GustoReimbursement {
  description: string;
  amount: GustoAmount;
  uuid?: string;
}
export interface GustoFixedCompensation {
  name: string;
  amount: GustoAmount;
  job_uuid?: string;
}
export interface GustoHourlyCompensation {
  name: string;
  hours?: string;
  amount: GustoAmount;
  job_uuid?: string;
  compensation_multiplier?: number;
  flsa_status?: string;
}

export interface GustoEmployeeCompensation {
  employee_uuid: string;
  excluded?: boolean;
  first_name?: string | null;
  preferred_first_name?: string | null;
  last_name?: string | null;
  gross_pay: GustoAmount | null;
  net_pay: GustoAmount | null;
  check_amount?: GustoAmount | null;
  payment_method?: string;
  memo?: string | null;
  fixed_compensations?: GustoFixedCompensation[];
  hourly_compensations?: GustoHourlyCompensation[];
  paid_time_off?: Array<{ name: string; hours?: string }>;
  reimbursements?: GustoReimbursement[];
  deductions?: GustoDeduction[];
  taxes?: GustoTax[];
  benefits?: GustoBenefit[];
  /** Not sent by Gusto: the connector adds the employee's current department when it reads the payroll. */
  department?: string | null;
}

export type GustoPayrollTotals = Partial<
  Record<
    | 'gross_pay'
    | 'net_pay'
    | 'employee_taxes'
    | 'employer_taxes'
    | 'benefits'
    | 'employee_benefits_deductions'
    | 'other_deductions'
    | 'reimbursements'
    | 'imputed_pay'
    | 'company_debit'
    | 'net_pay_debit'
    | 'tax_debit'
    | 'reimbursement_debit'
    | 'child_support_debit'
    | 'check_amount'
    | 'employee_bonuses'
    | 'employee_commissions'
    | 'employee_cash_tips'
    | 'employee_paycheck_tips'
    | 'additional_earnings'
    | 'owners_draw'
    | 'deferred_payroll_taxes',
    GustoAmount
  >
>;

export interface GustoPayrollSummary {
  uuid: string;
  payroll_uuid?: string;
  company_uuid: string;
  check_date: string;
  processed: boolean;
  processed_date?: string | null;
  off_cycle: boolean;
  off_cycle_reason?: string | null;
  external?: boolean;
  pay_period?: { start_date: string | null; end_date: string | null; pay_schedule_uuid?: string | null };
  totals?: GustoPayrollTotals;
}

export interface GustoPayroll extends GustoPayrollSummary {
  company_taxes?: GustoTax[];
  reversal_payroll_uuids?: string[];
  employee_compensations: GustoEmployeeCompensation[];
}

export interface GustoEmployee {
  uuid: string;
  company_uuid: string;
  first_name: string;
  last_name: string;
  middle_initial?: string | null;
  preferred_first_name?: string | null;
  email?: string | null;
  work_email?: string | null;
  department?: string | null;
  department_uuid?: string | null;
  terminated: boolean;
  onboarded?: boolean;
  jobs?: Array<{
    uuid: string;
    title?: string | null;
    hire_date?: string;
    primary?: boolean;
    rate?: string;
    payment_unit?: string;
  }>;
  terminations?: Array<{
    uuid: string;
    active: boolean;
    cancelable?: boolean;
    effective_date: string;
    run_termination_payroll?: boolean;
  }>;
  version?: string;
}
