/** The field reader under `read-payroll.ts`: typed reads of an untrusted payload that name each failing path. */
import { centsOrNaN, malformedAmount, type Cents } from '../money';
import type { PayrollReadError } from './pay-components';

export const MAX_ERRORS = 100;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base.list[j].field`, any part may be empty. Built only when something is wrong. */
const at = (base: string, list: string, j: number, field: string): string =>
  [base, list === '' ? '' : `${list}[${j}]`, field].filter((part) => part !== '').join('.');

/** Collects what is wrong with an untrusted payload (at most MAX_ERRORS), each with the path of its field. */
export class Reader {
  readonly errors: PayrollReadError[] = [];

  fail(path: string, message: string): void {
    if (this.errors.length < MAX_ERRORS)
      this.errors.push({ code: 'invalid_payroll', path, message: `${path}: ${message}` });
  }

  /** Cents at `base.list[j].field` (or `base.field`); the path string is built only on failure. */
  amount(value: unknown, base: string, list: string, j: number, field: string): Cents {
    const cents = centsOrNaN(value);
    if (Number.isNaN(cents) && this.errors.length < MAX_ERRORS)
      this.errors.push(malformedAmount(at(base, list, j, field), value));
    return cents;
  }

  name(value: unknown, base: string, list: string, j: number, field: string): string {
    if (typeof value === 'string' && value.trim().length > 0) return value;
    this.fail(at(base, list, j, field), 'must be a non-empty string');
    return '';
  }

  list(owner: Obj, key: string, path: string): unknown[] {
    const v = owner[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.fail(`${path}.${key}`, 'must be an array');
    return [];
  }
  /** Visits each object of the array at `owner[key]` with its index; anything else in it is reported. */
  eachObject(owner: Obj, key: string, path: string, visit: (item: Obj, j: number) => void): void {
    const items = this.list(owner, key, path);
    for (let j = 0; j < items.length; j++) {
      const item = items[j];
      if (isObj(item)) visit(item, j);
      else this.fail(`${path}.${key}[${j}]`, 'must be an object');
    }
  }
}

/** An amount the payload must state: missing is an error, as is a malformed one. */
export function readRequiredAmount(r: Reader, value: unknown, base: string, field: string): Cents {
  if (value === null || value === undefined) {
    r.fail(`${base}.${field}`, 'is missing: a processed payroll states it for every employee not excluded');
    return 0;
  }
  return r.amount(value, base, '', -1, field);
}
