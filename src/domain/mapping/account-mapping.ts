/**
 * The account mapping (spec "Account mapping"): which Acumatica account and subaccount each part of a
 * payroll posts to. A key is a role, or `role:Component name` to override one component.
 */
import type { Side } from '../journal/journal';

/** The roles of a v1 mapping (liabilities cash mode). */
export const V1_ROLES = [
  'earnings',
  'employerTaxExpense',
  'employerTaxLiability',
  'employeeTaxLiability',
  'deductionLiability',
  'benefitExpense',
  'benefitLiability',
  'reimbursementExpense',
  'netPay',
] as const;

/**
 * Bank cash mode (`journal.cash: "bank"`): one cash line per Gusto withdrawal, plus the paper checks Gusto
 * pays out without withdrawing them (see TREATMENT.md "Bank cash mode").
 */
export const CASH_ROLES = [
  'netPayDebit',
  'taxDebit',
  'reimbursementDebit',
  'childSupportDebit',
  'outstandingChecks',
] as const;
export type CashRole = (typeof CASH_ROLES)[number];

/** Every role a mapping may name: v1, cash, `rounding` (rounding tolerance), `accruedPayroll` (month-end accrual). */
export const ROLES = [...V1_ROLES, ...CASH_ROLES, 'rounding', 'accruedPayroll'] as const;
export type Role = (typeof ROLES)[number];

/** The side a role posts to when its amount is positive. */
export const ROLE_SIDE: Record<Role, Side> = {
  earnings: 'debit',
  employerTaxExpense: 'debit',
  benefitExpense: 'debit',
  reimbursementExpense: 'debit',
  employerTaxLiability: 'credit',
  employeeTaxLiability: 'credit',
  deductionLiability: 'credit',
  benefitLiability: 'credit',
  netPay: 'credit',
  netPayDebit: 'credit',
  taxDebit: 'credit',
  reimbursementDebit: 'credit',
  childSupportDebit: 'credit',
  outstandingChecks: 'credit',
  /** Positive = a debit (Gusto's totals exceed the employee lines on the credit side); signed like the others. */
  rounding: 'debit',
  accruedPayroll: 'credit',
};

export const CASH_MODES = ['liabilities', 'bank'] as const;
export type CashMode = (typeof CASH_MODES)[number];
export const ENTRY_DATES = ['check_date', 'period_end'] as const;
export type EntryDate = (typeof ENTRY_DATES)[number];

export const DETAIL_LEVELS = ['summary', 'department', 'employee'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export interface AccountRef {
  /** AccountCD. */
  account: string;
  /** SubaccountCD with segments run together; absent: the role's, else Acumatica's default. */
  subaccount?: string;
}

export interface AccountMapping {
  journal: {
    branch?: string;
    ledger?: string;
    detail: DetailLevel;
    release: boolean;
    /** Absent = `liabilities` (v1). Present only when the document says so, so a v1 mapping parses as before. */
    cash?: CashMode;
    /** Absent = `check_date` (v1). */
    entryDate?: EntryDate;
    /** Absent = 0 cents. */
    rounding?: { toleranceCents: number };
    /** Absent = false. */
    splitLiabilitiesByDepartment?: boolean;
    /** Month-end accrual; absent = off. */
    accrual?: { enabled: boolean };
  };
  /** Key → account. Keys are `role` or `role:Component name`. */
  accounts: Record<string, AccountRef>;
  /** Gusto department name → SubaccountCD (expense lines in department/employee detail). */
  subaccountsByDepartment: Record<string, string>;
  /** For the employee mirror: Acumatica department and class of mirrored employees. */
  employees?: {
    defaultDepartment?: string;
    departments: Record<string, string>;
    employeeClass?: string;
    driftPolicy?: 'flag' | 'overwrite';
  };
}

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** Splits a key at its first colon: `deductionLiability:401(k)` → role + component. */
export function splitKey(key: string): { role: string; component?: string } {
  const i = key.indexOf(':');
  return i < 0 ? { role: key } : { role: key.slice(0, i), component: key.slice(i + 1) };
}

/** Own-property lookup (mapping keys come from JSON: "constructor" must not find Object's). */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
