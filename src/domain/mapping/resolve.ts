/**
 * Key resolution: which account and subaccount a (role, component) posts to.
 * Account: the `role:Component` override, else the role. Subaccount (spec "Account mapping"): in
 * department/employee detail, an expense line of an employee whose department is in
 * `subaccountsByDepartment` takes that subaccount (applied by the journal builder); otherwise the
 * override's subaccount, then the role's, then none (Acumatica's default).
 */
import { own, type AccountMapping, type Role } from './account-mapping';

export interface ResolvedAccount {
  account: string;
  subaccount?: string;
  /** The key whose account is used: `earnings:Overtime` or `earnings`. */
  mappingKey: string;
}

export function resolveAccount(mapping: AccountMapping, role: Role, component: string): ResolvedAccount | null {
  const accounts = mapping.accounts ?? {};
  const overrideKey = `${role}:${component}`;
  const override = own(accounts, overrideKey);
  const base = own(accounts, role);
  const entry = override ?? base;
  if (entry === undefined) return null;
  const subaccount = override?.subaccount ?? base?.subaccount;
  return {
    account: entry.account,
    ...(subaccount === undefined ? {} : { subaccount }),
    mappingKey: override === undefined ? role : overrideKey,
  };
}

/** How a missing mapping is named to the accountant: "earnings:Bonus or earnings". */
export const missingKey = (role: Role, component: string): string => `${role}:${component} or ${role}`;

export function departmentSubaccount(mapping: AccountMapping, department: string | null): string | undefined {
  return department === null ? undefined : own(mapping.subaccountsByDepartment ?? {}, department);
}
