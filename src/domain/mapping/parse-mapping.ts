/**
 * The mapping document (untrusted JSON) → AccountMapping, or every problem named by its key:
 * `accounts.earnings:Overtime.account: must be a non-empty string`, `accounts.foo: unknown role "foo"`.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ROLES, isRole, splitKey, type AccountMapping, type AccountRef } from './account-mapping';
import {
  AccountEntryDocument,
  EmployeeSettingsDocument,
  JournalSettingsDocument,
  KNOWN_KEYS,
  MappingDocument,
  NON_EMPTY,
  RoundingSettingsDocument,
  AccrualSettingsDocument,
} from './mapping-document';

export type ParseMappingResult = { ok: true; mapping: AccountMapping } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

export function parseMapping(doc: unknown): ParseMappingResult {
  if (!isObj(doc)) return { ok: false, errors: ['mapping: must be an object'] };
  const errors: string[] = [];
  unknownKeys(doc, KNOWN_KEYS.document, '', errors);
  errors.push(...validate(MappingDocument, doc, ''));
  if (isObj(doc.journal)) {
    unknownKeys(doc.journal, KNOWN_KEYS.journal, 'journal.', errors);
    errors.push(...validate(JournalSettingsDocument, doc.journal, 'journal.'));
    if (isObj(doc.journal.rounding)) {
      unknownKeys(doc.journal.rounding, KNOWN_KEYS.rounding, 'journal.rounding.', errors);
      errors.push(...validate(RoundingSettingsDocument, doc.journal.rounding, 'journal.rounding.'));
    }
    if (isObj(doc.journal.accrual)) {
      unknownKeys(doc.journal.accrual, KNOWN_KEYS.accrual, 'journal.accrual.', errors);
      errors.push(...validate(AccrualSettingsDocument, doc.journal.accrual, 'journal.accrual.'));
    }
  }
  if (isObj(doc.employees)) {
    unknownKeys(doc.employees, KNOWN_KEYS.employees, 'employees.', errors);
    errors.push(...validate(EmployeeSettingsDocument, doc.employees, 'employees.'));
  }

  const accounts: Record<string, AccountRef> = {};
  if (isObj(doc.accounts)) {
    for (const key of Object.keys(doc.accounts)) {
      const entry = readAccountEntry(key, doc.accounts[key], errors);
      if (entry !== null)
        Object.defineProperty(accounts, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
  }
  const subaccountsByDepartment = stringRecord(doc.subaccountsByDepartment, 'subaccountsByDepartment', errors);
  const departments = isObj(doc.employees)
    ? stringRecord(doc.employees.departments, 'employees.departments', errors)
    : {};
  if (errors.length > 0) return { ok: false, errors };

  const journal = doc.journal as Obj;
  const mapping: AccountMapping = {
    journal: {
      ...(isNonEmpty(journal.branch) ? { branch: journal.branch } : {}),
      ...(isNonEmpty(journal.ledger) ? { ledger: journal.ledger } : {}),
      detail: journal.detail as AccountMapping['journal']['detail'],
      release: journal.release as boolean,
      // Only what the document states: a v1 document parses to exactly the v1 shape.
      ...(journal.cash === undefined ? {} : { cash: journal.cash as NonNullable<AccountMapping['journal']['cash']> }),
      ...(journal.entryDate === undefined
        ? {}
        : { entryDate: journal.entryDate as NonNullable<AccountMapping['journal']['entryDate']> }),
      ...(journal.splitLiabilitiesByDepartment === undefined
        ? {}
        : { splitLiabilitiesByDepartment: journal.splitLiabilitiesByDepartment as boolean }),
      ...(isObj(journal.rounding) ? { rounding: { toleranceCents: journal.rounding.toleranceCents as number } } : {}),
      ...(isObj(journal.accrual) ? { accrual: { enabled: journal.accrual.enabled as boolean } } : {}),
    },
    accounts,
    subaccountsByDepartment,
  };
  if (isObj(doc.employees)) {
    const e = doc.employees;
    mapping.employees = {
      ...(isNonEmpty(e.defaultDepartment) ? { defaultDepartment: e.defaultDepartment } : {}),
      departments,
      ...(isNonEmpty(e.employeeClass) ? { employeeClass: e.employeeClass } : {}),
      ...(e.driftPolicy === 'overwrite' || e.driftPolicy === 'flag' ? { driftPolicy: e.driftPolicy } : {}),
    };
  }
  return { ok: true, mapping };
}

export interface MappingReference {
  kind: 'account' | 'subaccount';
  /** The AccountCD or SubaccountCD. */
  value: string;
  /** Where the mapping names it: `accounts.earnings.account`, `subaccountsByDepartment.Engineering`. */
  key: string;
}

/** Every account and subaccount the mapping names, department ones included, in a stable order. */
export function mappingReferences(mapping: AccountMapping): MappingReference[] {
  const refs: MappingReference[] = [];
  for (const key of Object.keys(mapping.accounts).sort()) {
    const { account, subaccount } = mapping.accounts[key];
    refs.push({ kind: 'account', value: account, key: `accounts.${key}.account` });
    if (subaccount !== undefined)
      refs.push({ kind: 'subaccount', value: subaccount, key: `accounts.${key}.subaccount` });
  }
  for (const dept of Object.keys(mapping.subaccountsByDepartment).sort()) {
    refs.push({
      kind: 'subaccount',
      value: mapping.subaccountsByDepartment[dept],
      key: `subaccountsByDepartment.${dept}`,
    });
  }
  return refs;
}

function readAccountEntry(key: string, value: unknown, errors: string[]): AccountRef | null {
  const at = `accounts.${key}`;
  const { role, component } = splitKey(key);
  if (!isRole(role)) {
    errors.push(`${at}: unknown role "${role}" (roles: ${ROLES.join(', ')})`);
    return null;
  }
  if (component !== undefined && component.trim().length === 0) {
    errors.push(`${at}: the component name after "${role}:" must not be empty`);
    return null;
  }
  if (!isObj(value)) {
    errors.push(`${at}: must be an object { account, subaccount? }`);
    return null;
  }
  const before = errors.length;
  unknownKeys(value, KNOWN_KEYS.account, `${at}.`, errors);
  errors.push(...validate(AccountEntryDocument, value, `${at}.`));
  if (errors.length > before) return null;
  return isNonEmpty(value.subaccount)
    ? { account: value.account as string, subaccount: value.subaccount }
    : { account: value.account as string };
}

function stringRecord(value: unknown, at: string, errors: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(value)) return out;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (!isNonEmpty(v)) errors.push(`${at}.${key}: ${NON_EMPTY}`);
    else Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function unknownKeys(value: Obj, known: readonly string[], prefix: string, errors: string[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) errors.push(`${prefix}${key}: unknown key`);
}

/**
 * class-validator on a shallow copy of the known keys: nested objects are checked entry by entry here,
 * and class-transformer must never walk untrusted nesting (it throws on a `__proto__` key).
 */
function validate<T extends object>(cls: new () => T, plain: Obj, prefix: string): string[] {
  const shallow: Obj = {};
  for (const key of Object.keys(plain)) {
    if (key === '__proto__') continue;
    const v = plain[key];
    shallow[key] = isObj(v) ? {} : Array.isArray(v) ? [] : v;
  }
  const instance = plainToInstance(cls, shallow);
  return flatten(validateSync(instance, { forbidUnknownValues: false }), prefix);
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const messages = Object.values(e.constraints ?? {});
    // One reason per property: the first failing constraint (IsString and IsNotEmpty say the same thing).
    if (messages.length > 0) out.push(`${prefix}${e.property}: ${messages[0]}`);
    else if (e.children && e.children.length > 0) out.push(...flatten(e.children, `${prefix}${e.property}.`));
  }
  return out;
}
