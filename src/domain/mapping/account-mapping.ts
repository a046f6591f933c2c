/**
 * The account mapping (spec "Account mapping"): which Acumatica account and subaccount each part of a
 * payroll posts to. A key is a role, or `role:Component name` to override one component.
 */
import type { Side } from '../journal/journal';

export const ROLES = [
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
};

export const DETAIL_LEVELS = ['summary', 'department', 'employee'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export interface AccountRef {
  /** AccountCD. */
  account: string;
  /** SubaccountCD with segments run together; absent: the role's, else Acumatica's default. */
  subaccount?: string;
}

export interface AccountMapping {
  journal: { branch?: string; ledger?: string; detail: DetailLevel; release: boolean };
  /** Key → account. Keys are `role` or `role:Component name`. */
  accounts: Record<string, AccountRef>;
  /** Gusto department name → SubaccountCD (expense lines in department/employee detail). */
  subaccountsByDepartment: Record<string, string>;
  /** For the employee mirror: Acumatica department and class of mirrored employees. */
  employees?: { defaultDepartment?: string; departments: Record<string, string>; employeeClass?: string; driftPolicy?: 'flag' | 'overwrite' };
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
