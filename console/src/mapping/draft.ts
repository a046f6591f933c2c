/** The mapping as the editor holds it (rows, blanks allowed) ↔ the mapping document the API takes. */
import type { MappingDocument } from '../types';
import { ALL_ROLES } from './roles';

/** `rows` with row `index` changed by `patch` (the editor's tables edit one cell at a time). */
export const updateAt = <T extends object>(rows: readonly T[], index: number, patch: Partial<T>): T[] =>
  rows.map((row, j) => (j === index ? { ...row, ...patch } : row));

export interface AccountRow {
  key: string;
  account: string;
  subaccount: string;
}

export interface Draft {
  journal: {
    branch: string;
    ledger: string;
    detail: 'summary' | 'department' | 'employee';
    release: boolean;
    cash: 'liabilities' | 'bank';
    entryDate: 'check_date' | 'period_end';
    toleranceCents: string;
    splitLiabilitiesByDepartment: boolean;
    accrual: boolean;
  };
  /** One row per role (always), then the `role:Component` overrides. */
  accounts: AccountRow[];
  departmentSubaccounts: Array<{ department: string; subaccount: string }>;
  employees: {
    defaultDepartment: string;
    employeeClass: string;
    driftPolicy: 'flag' | 'overwrite';
    departments: Array<{ gusto: string; acumatica: string }>;
  };
}

export const isOverride = (key: string): boolean => key.includes(':');

export function toDraft(doc: MappingDocument | undefined, defaultBranch?: string): Draft {
  const j = doc?.journal;
  const accounts = doc?.accounts ?? {};
  const rows: AccountRow[] = ALL_ROLES.map((role) => ({
    key: role,
    account: accounts[role]?.account ?? '',
    subaccount: accounts[role]?.subaccount ?? '',
  }));
  for (const key of Object.keys(accounts)) {
    if (!ALL_ROLES.includes(key))
      rows.push({ key, account: accounts[key].account, subaccount: accounts[key].subaccount ?? '' });
  }
  return {
    journal: {
      branch: j?.branch ?? defaultBranch ?? '',
      ledger: j?.ledger ?? 'ACTUAL',
      detail: j?.detail ?? 'summary',
      release: j?.release ?? false,
      cash: j?.cash ?? 'liabilities',
      entryDate: j?.entryDate ?? 'check_date',
      toleranceCents: String(j?.rounding?.toleranceCents ?? 0),
      splitLiabilitiesByDepartment: j?.splitLiabilitiesByDepartment ?? false,
      accrual: j?.accrual?.enabled ?? false,
    },
    accounts: rows,
    departmentSubaccounts: Object.entries(doc?.subaccountsByDepartment ?? {}).map(([department, subaccount]) => ({
      department,
      subaccount,
    })),
    employees: {
      defaultDepartment: doc?.employees?.defaultDepartment ?? '',
      employeeClass: doc?.employees?.employeeClass ?? '',
      driftPolicy: doc?.employees?.driftPolicy ?? 'flag',
      departments: Object.entries(doc?.employees?.departments ?? {}).map(([gusto, acumatica]) => ({
        gusto,
        acumatica,
      })),
    },
  };
}

/** Blank rows are left out: a role with no account is not mapped. Options at their default are omitted (v1 meaning). */
export function toDocument(d: Draft): MappingDocument {
  const j = d.journal;
  const tolerance = j.toleranceCents.trim() === '' ? 0 : Number(j.toleranceCents);
  const accounts: MappingDocument['accounts'] = {};
  for (const row of d.accounts) {
    if (!row.account.trim()) continue;
    accounts[row.key] = row.subaccount.trim()
      ? { account: row.account.trim(), subaccount: row.subaccount.trim() }
      : { account: row.account.trim() };
  }
  const byDepartment = Object.fromEntries(
    d.departmentSubaccounts
      .filter((r) => r.department.trim() && r.subaccount.trim())
      .map((r) => [r.department.trim(), r.subaccount.trim()]),
  );
  const departments = Object.fromEntries(
    d.employees.departments
      .filter((r) => r.gusto.trim() && r.acumatica.trim())
      .map((r) => [r.gusto.trim(), r.acumatica.trim()]),
  );
  const e = d.employees;
  return {
    journal: {
      ...(j.branch.trim() ? { branch: j.branch.trim() } : {}),
      ...(j.ledger.trim() ? { ledger: j.ledger.trim() } : {}),
      detail: j.detail,
      release: j.release,
      ...(j.cash !== 'liabilities' ? { cash: j.cash } : {}),
      ...(j.entryDate !== 'check_date' ? { entryDate: j.entryDate } : {}),
      ...(tolerance !== 0 || Number.isNaN(tolerance) ? { rounding: { toleranceCents: tolerance } } : {}),
      ...(j.splitLiabilitiesByDepartment ? { splitLiabilitiesByDepartment: true } : {}),
      ...(j.accrual ? { accrual: { enabled: true } } : {}),
    },
    accounts,
    ...(Object.keys(byDepartment).length ? { subaccountsByDepartment: byDepartment } : {}),
    ...(e.defaultDepartment.trim() ||
    e.employeeClass.trim() ||
    Object.keys(departments).length ||
    e.driftPolicy !== 'flag'
      ? {
          employees: {
            ...(e.defaultDepartment.trim() ? { defaultDepartment: e.defaultDepartment.trim() } : {}),
            departments,
            ...(e.employeeClass.trim() ? { employeeClass: e.employeeClass.trim() } : {}),
            ...(e.driftPolicy !== 'flag' ? { driftPolicy: e.driftPolicy } : {}),
          },
        }
      : {}),
  };
}

/** Every path a 400/422 answer may name that the editor shows next to a field. */
export function placedPaths(d: Draft): Set<string> {
  const paths = new Set<string>();
  for (const row of d.accounts)
    for (const p of [`accounts.${row.key}`, `accounts.${row.key}.account`, `accounts.${row.key}.subaccount`])
      paths.add(p);
  for (const p of [
    'branch',
    'ledger',
    'detail',
    'release',
    'cash',
    'entryDate',
    'rounding',
    'rounding.toleranceCents',
    'splitLiabilitiesByDepartment',
    'accrual',
    'accrual.enabled',
  ])
    paths.add(`journal.${p}`);
  for (const r of d.departmentSubaccounts) paths.add(`subaccountsByDepartment.${r.department.trim()}`);
  for (const p of ['defaultDepartment', 'employeeClass', 'driftPolicy']) paths.add(`employees.${p}`);
  for (const r of d.employees.departments) paths.add(`employees.departments.${r.gusto.trim()}`);
  return paths;
}
