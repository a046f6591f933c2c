import { evaluate, FilterError, parseFilter } from '../../../src/sandbox/acumatica';
import { checkPaths } from '../../../src/sandbox/acumatica/filter';
import { EmployeeSchema, JournalSchema, Rec } from '../../../src/sandbox/acumatica/schema';

const rec = (f: Rec['f'], linked: Rec['linked'] = {}): Rec => ({ id: 'x', f, linked, details: {} });
const batch = rec({
  Module: 'GL',
  BatchNbr: '000007',
  Description: 'Gusto payroll [gusto:ABC-1]',
  Hold: false,
  LastModifiedDateTime: '2025-02-01T08:00:00.500Z',
  PostPeriod: '012025',
});
const matches = (f: string, r: Rec = batch): boolean => evaluate(parseFilter(f), r);

describe('$filter parser', () => {
  it('parses eq / and / substringof into a tree', () => {
    expect(parseFilter("Module eq 'GL' and substringof('gusto:x',Description)")).toEqual({
      kind: 'and',
      left: {
        kind: 'cmp',
        op: 'eq',
        left: { kind: 'path', path: ['Module'] },
        right: { kind: 'lit', value: 'GL', type: 'string' },
      },
      right: {
        kind: 'fn',
        name: 'substringof',
        text: { kind: 'lit', value: 'gusto:x', type: 'string' },
        field: { kind: 'path', path: ['Description'] },
      },
    });
  });
  it('evaluates eq, ne, substringof, startswith, endswith, or, not, parentheses', () => {
    expect(matches("Module eq 'GL'")).toBe(true);
    expect(matches("Module ne 'GL'")).toBe(false);
    expect(matches("substringof('gusto:ABC-1',Description)")).toBe(true);
    expect(matches("substringof('gusto:ABC-2',Description)")).toBe(false);
    expect(matches("startswith(Description,'Gusto')")).toBe(true);
    expect(matches("endswith(Description,']')")).toBe(true);
    expect(matches("Module eq 'AP' or (BatchNbr eq '000007' and not Hold eq true)")).toBe(true);
    expect(matches("substringof('nope',Description) eq false")).toBe(true);
  });
  it('compares strings case-insensitively, as SQL Server does', () => {
    expect(matches("Module eq 'gl'")).toBe(true);
    expect(matches("substringof('GUSTO:abc-1',Description)")).toBe(true);
  });
  it('compares datetimeoffset literals as instants, offsets honoured', () => {
    expect(matches("LastModifiedDateTime gt datetimeoffset'2025-02-01T08:00:00.4+00:00'")).toBe(true);
    expect(matches("LastModifiedDateTime gt datetimeoffset'2025-02-01T11:00:00.5+03:00'")).toBe(false);
    expect(matches("LastModifiedDateTime ge datetimeoffset'2025-02-01T11:00:00.5+03:00'")).toBe(true);
    expect(matches("LastModifiedDateTime lt datetimeoffset'2025-02-02T00:00:00Z'")).toBe(true);
  });
  it('doubles quotes inside string literals', () => {
    const r = rec({ Description: "O'Brien payroll" });
    expect(matches("Description eq 'O''Brien payroll'", r)).toBe(true);
  });
  it('compares numbers as decimals', () => {
    const r = rec({ AccountID: 1042, Amount: '100.50' });
    expect(matches('AccountID gt 1041', r)).toBe(true);
    expect(matches('Amount eq 100.5', r)).toBe(true);
    expect(matches('Amount lt 99', r)).toBe(false);
  });
  it('follows linked-entity paths', () => {
    const emp = rec(
      { EmployeeID: 'EP1' },
      { EmployeeSettings: rec({ EmployeeRefNbr: 'uuid-1' }), ContactInfo: rec({ Email: 'a@b.c' }) },
    );
    expect(matches("EmployeeSettings/EmployeeRefNbr eq 'uuid-1'", emp)).toBe(true);
    expect(matches("ContactInfo/Email eq 'A@B.C'", emp)).toBe(true);
    expect(() => checkPaths(parseFilter("EmployeeSettings/EmployeeRefNbr eq 'x'"), EmployeeSchema)).not.toThrow();
  });
  it.each([
    "Module = 'GL'",
    "Module eq 'GL",
    "Module eq 'GL' and",
    "(Module eq 'GL'",
    "foo('x',Description)",
    "Module eq 'GL' extra",
    '',
    "LastModifiedDateTime gt datetimeoffset'yesterday'",
    'Module eq "GL"',
  ])('rejects bad syntax: %s', (f) => {
    expect(() => parseFilter(f)).toThrow(FilterError);
  });
  it('rejects unknown fields and detail-collection fields', () => {
    expect(() => checkPaths(parseFilter("Nope eq 'x'"), JournalSchema)).toThrow(/Invalid field name/);
    expect(() => checkPaths(parseFilter("Details/Account eq '60000'"), JournalSchema)).toThrow(/detail/);
    expect(() => checkPaths(parseFilter("ContactInfo/Nope eq 'x'"), EmployeeSchema)).toThrow(FilterError);
  });
});
