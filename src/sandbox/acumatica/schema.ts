/**
 * Entity schemas of the Default endpoint (the subset the connector uses) and the generic record model:
 * records are stored unwrapped (`Rec`) and rendered to / parsed from Acumatica's `{ "value": … }` shape.
 */
import { isObject, JsonNum, JsonValue, RawNumber } from './json';
import { required } from '../../domain/shared/required';

export type FieldType = 'string' | 'boolean' | 'decimal' | 'int' | 'datetime';
export interface EntitySchema {
  /** DAC name used in "Inserting 'Batch' record raised at least one error." */
  dac: string;
  fields: Record<string, FieldType>;
  linked?: Record<string, EntitySchema>;
  details?: Record<string, EntitySchema>;
  /** graph + view for `_links["files:put"]`; top-level entities also get `_links.self`. */
  files?: { graph: string; view: string };
}
/** decimal fields hold their exact decimal text; datetime fields hold ISO strings. */
export type Scalar = string | boolean | number | null;
export interface Rec {
  id: string;
  f: Record<string, Scalar>;
  linked: Record<string, Rec>;
  details: Record<string, Rec[]>;
  /** field → error text (rendered as `"error"` next to `value`), and the entity-level error. */
  errors?: Record<string, string>;
  error?: string;
}

const s = 'string' as const,
  b = 'boolean' as const,
  d = 'decimal' as const,
  n = 'int' as const,
  t = 'datetime' as const;

export const JournalDetailSchema: EntitySchema = {
  dac: 'GLTran',
  fields: {
    Account: s,
    BranchID: s,
    CostCode: s,
    CreditAmount: d,
    DebitAmount: d,
    Description: s,
    IsNonPM: b,
    LineNbr: n,
    NonBillable: b,
    Project: s,
    ProjectTask: s,
    ProjectTransactionID: n,
    Qty: d,
    ReferenceNbr: s,
    Subaccount: s,
    TransactionDescription: s,
    UOM: s,
    VendorOrCustomer: s,
  },
  files: { graph: 'PX.Objects.GL.JournalEntry', view: 'GLTranModuleBatNbr' },
};
export const JournalSchema: EntitySchema = {
  dac: 'Batch',
  fields: {
    BatchNbr: s,
    BranchID: s,
    CreatedDateTime: t,
    CurrencyID: s,
    Description: s,
    Hold: b,
    LastModifiedDateTime: t,
    LedgerID: s,
    Module: s,
    PostPeriod: s,
    Status: s,
    TransactionDate: t,
  },
  details: { Details: JournalDetailSchema },
  files: { graph: 'PX.Objects.GL.JournalEntry', view: 'BatchModule' },
};
export const AccountSchema: EntitySchema = {
  dac: 'Account',
  fields: {
    AccountCD: s,
    AccountClass: s,
    AccountGroup: s,
    AccountID: n,
    Active: b,
    CashAccount: b,
    ChartOfAccountsOrder: n,
    ConsolidationAccount: s,
    CreatedDateTime: t,
    CurrencyID: s,
    Description: s,
    LastModifiedDateTime: t,
    PostOption: s,
    RequireUnits: b,
    RevaluationRateType: s,
    Secured: b,
    TaxCategory: s,
    Type: s,
    UseDefaultSubaccount: b,
  },
  files: { graph: 'PX.Objects.GL.AccountMaint', view: 'AccountRecords' },
};
export const SubaccountSchema: EntitySchema = {
  dac: 'Sub',
  fields: { Active: b, Description: s, LastModifiedDateTime: t, Secured: b, SubaccountCD: s, SubaccountID: n },
  files: { graph: 'PX.Objects.GL.SubAccountMaint', view: 'SubRecords' },
};
const AddressSchema: EntitySchema = {
  dac: 'Address',
  fields: { AddressLine1: s, AddressLine2: s, City: s, Country: s, PostalCode: s, State: s },
};
export const EmployeeSchema: EntitySchema = {
  dac: 'EPEmployee',
  fields: { EmployeeID: s, EmployeeName: s, LastModifiedDateTime: t, Status: s },
  linked: {
    ContactInfo: {
      dac: 'Contact',
      linked: { Address: AddressSchema },
      fields: {
        DateOfBirth: t,
        Email: s,
        Fax: s,
        FaxType: s,
        FirstName: s,
        LastName: s,
        MiddleName: s,
        Phone1: s,
        Phone1Type: s,
        Phone2: s,
        Phone2Type: s,
        Phone3: s,
        Phone3Type: s,
        Title: s,
        WebSite: s,
      },
    },
    EmployeeSettings: {
      dac: 'EPEmployee',
      fields: {
        BranchID: s,
        Calendar: s,
        CurrencyID: s,
        CurrencyRateTypeID: s,
        DepartmentID: s,
        EmployeeClass: s,
        EmployeeRefNbr: s,
        EnableCurrencyOverride: b,
        EnableRateOverride: b,
        LaborItem: s,
        RegularHoursValidation: s,
        ReportsTo: s,
        RouteEmails: b,
        Salesperson: s,
        TimeCardIsRequired: b,
        UnionLocalID: s,
      },
    },
    FinancialSettings: {
      dac: 'EPEmployee',
      fields: {
        APAccount: s,
        APSubaccount: s,
        CashAccount: s,
        ExpenseAccount: s,
        ExpenseSubaccount: s,
        PaymentMethod: s,
        PrepaymentAccount: s,
        PrepaymentSubaccount: s,
        SalesAccount: s,
        SalesSubaccount: s,
        TaxZone: s,
        Terms: s,
      },
    },
  },
  details: {
    EmploymentHistory: {
      dac: 'EPEmployeePosition',
      fields: {
        Active: b,
        EndDate: t,
        LineNbr: n,
        PositionID: s,
        RehireEligible: b,
        StartDate: t,
        StartReason: s,
        Terminated: b,
        TerminationReason: s,
      },
    },
  },
  files: { graph: 'PX.Objects.EP.EmployeeMaint', view: 'Employee' },
};

/** An empty record of a schema (all fields null, linked entities created, no detail lines). */
export function emptyRec(schema: EntitySchema, newId: () => string): Rec {
  const rec: Rec = { id: newId(), f: {}, linked: {}, details: {} };
  for (const k of Object.keys(schema.fields)) rec.f[k] = null;
  for (const [k, ls] of Object.entries(schema.linked ?? {})) rec.linked[k] = emptyRec(ls, newId);
  for (const k of Object.keys(schema.details ?? {})) rec.details[k] = [];
  return rec;
}

/** `2025-01-31T00:00:00+00:00`, with milliseconds only when non-zero (as Acumatica prints them). */
export function acuDate(iso: string): string {
  const dt = new Date(iso);
  const ms = dt.getUTCMilliseconds();
  const base = dt.toISOString().slice(0, 19);
  return `${base}${ms ? `.${String(ms).padStart(3, '0').replace(/0+$/, '')}` : ''}+00:00`;
}

export interface RenderOptions {
  /** `/acme/entity/Default/24.200.001` style prefix for `_links`. */
  base: string;
  entity: string;
  select?: string[];
  expand: string[];
  rowNumber: number;
  /** 422 echo: only fields that have a value or an error. */
  omitNull?: boolean;
}

/** Render a record as Acumatica JSON (keys alphabetical, null → `{}`, linked/details only when expanded). */
export function render(
  rec: Rec,
  schema: EntitySchema,
  o: RenderOptions,
  path = '',
  top = true,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id, rowNumber: o.rowNumber };
  if (top && rec.error) out.error = rec.error;
  out.note = { value: '' };
  const here = (o.select ?? [])
    .filter((p) => p.startsWith(path) && !p.slice(path.length).includes('/'))
    .map((p) => p.slice(path.length));
  const restrict = o.select !== undefined && (path === '' || here.length > 0);
  const members: Record<string, unknown> = {};
  for (const [k, type] of Object.entries(schema.fields)) {
    if (restrict && !here.includes(k)) continue;
    if (o.omitNull && (rec.f[k] ?? null) === null && !rec.errors?.[k]) continue;
    members[k] = wrapValue(rec.f[k] ?? null, type, rec.errors?.[k]);
  }
  for (const [k, ls] of Object.entries(schema.linked ?? {})) {
    if (!o.expand.includes(path + k)) continue;
    members[k] = render(rec.linked[k], ls, { ...o, rowNumber: 1 }, `${path}${k}/`, false);
  }
  for (const [k, ds] of Object.entries(schema.details ?? {})) {
    if (!o.expand.includes(path + k)) continue;
    members[k] = rec.details[k].map((line, idx) =>
      render(line, ds, { ...o, rowNumber: idx + 1 }, `${path}${k}/`, false),
    );
  }
  for (const k of Object.keys(members).sort()) out[k] = members[k];
  out.custom = {};
  const links: Record<string, string> = {};
  if (top) links.self = `${o.base}/${o.entity}/${rec.id}`;
  if (schema.files)
    links['files:put'] = `${o.base}/files/${schema.files.graph}/${schema.files.view}/${rec.id}/{filename}`;
  if (Object.keys(links).length > 0) out._links = links;
  return out;
}

function wrapValue(v: Scalar, type: FieldType, error?: string): Record<string, unknown> {
  const w: Record<string, unknown> = {};
  if (v !== null)
    w.value = type === 'decimal' ? new RawNumber(String(v)) : type === 'datetime' ? acuDate(String(v)) : v;
  if (error) w.error = error;
  return w;
}

/** What a request body says about one entity: only the fields it sent. */
export interface EntityInput {
  id?: string;
  delete?: boolean;
  f: Record<string, Scalar>;
  linked: Record<string, EntityInput>;
  details: Record<string, EntityInput[]>;
}

const SYSTEM = new Set(['id', 'rowNumber', 'note', 'custom', '_links', 'files', 'delete', 'error']);
const CLR: Record<FieldType, string> = {
  string: 'StringValue',
  boolean: 'BooleanValue',
  decimal: 'DecimalValue',
  int: 'IntValue',
  datetime: 'DateTimeValue',
};

/** Parse a request entity strictly: each field must be `{ "value": … }` (or `{}`); collects ModelState errors. */
export function parseInput(
  body: JsonValue,
  schema: EntitySchema,
  modelState: Record<string, string[]>,
  path = 'entity',
): EntityInput {
  const input: EntityInput = { f: {}, linked: {}, details: {} };
  if (!isObject(body)) {
    modelState[path] = [`Cannot deserialize the current JSON value into type 'Entity'. Path '${path}'.`];
    return input;
  }
  for (const [k, raw] of Object.entries(body)) {
    const p = `${path}.${k}`;
    if (SYSTEM.has(k)) {
      if (k === 'id' && typeof raw === 'string') input.id = raw;
      if (k === 'delete' && raw === true) input.delete = true;
      continue;
    }
    const type = schema.fields[k];
    if (type) {
      if (!isObject(raw)) {
        modelState[p] = [
          `Error converting value ${JSON.stringify(raw instanceof JsonNum ? raw.text : raw)} to type 'PX.Api.ContractBased.Models.${CLR[type]}'. Path '${p.slice(7)}'.`,
        ];
        continue;
      }
      if (!('value' in raw)) continue;
      const v = coerce(raw.value, type);
      if (v === undefined) modelState[p] = [`Could not convert value to ${CLR[type]}. Path '${p.slice(7)}.value'.`];
      else input.f[k] = v;
    } else if (schema.linked?.[k]) {
      input.linked[k] = parseInput(raw, schema.linked[k], modelState, p);
    } else if (schema.details?.[k]) {
      if (!Array.isArray(raw))
        modelState[p] = [`Cannot deserialize the current JSON object into a collection. Path '${p.slice(7)}'.`];
      else
        input.details[k] = raw.map((line, i) =>
          parseInput(line, required(schema.details, 'the entity details')[k], modelState, `${p}[${i}]`),
        );
    }
    // unknown members are ignored (Json.NET default)
  }
  return input;
}

function coerce(v: JsonValue, type: FieldType): Scalar | undefined {
  if (v === null) return null;
  const text =
    v instanceof JsonNum ? v.text : typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : undefined;
  if (text === undefined) return undefined;
  switch (type) {
    case 'string':
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'decimal':
      return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim()) ? text.trim() : undefined;
    case 'int':
      return /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
    case 'datetime':
      return Number.isNaN(Date.parse(text)) ? undefined : text;
  }
}

/** Apply input fields onto a record (only fields that were sent). */
export function assign(rec: Rec, input: EntityInput, schema: EntitySchema): void {
  for (const [k, v] of Object.entries(input.f)) rec.f[k] = v;
  for (const [k, li] of Object.entries(input.linked))
    if (schema.linked?.[k]) assign(rec.linked[k], li, schema.linked[k]);
}

/** Apply detail-line inputs: `id` → update that line (or `delete: true` removes it); no id → a new line. */
export function applyDetails(
  rec: Rec,
  key: string,
  inputs: EntityInput[] | undefined,
  newLine: () => Rec,
  defaults: (line: Rec) => void,
): void {
  if (!inputs) return;
  const lines = rec.details[key];
  for (const li of inputs) {
    const existing = li.id ? lines.find((l) => l.id === li.id) : undefined;
    if (existing && li.delete) {
      lines.splice(lines.indexOf(existing), 1);
      continue;
    }
    if (li.delete) continue;
    const line = existing ?? newLine();
    if (!existing) {
      const max = lines.reduce((m, l) => Math.max(m, Number(l.f.LineNbr ?? 0)), 0);
      if ('LineNbr' in line.f) line.f.LineNbr = max + 1;
      defaults(line);
      lines.push(line);
    }
    for (const [k, v] of Object.entries(li.f)) if (k !== 'LineNbr') line.f[k] = v;
  }
}

/**
 * A date-only field (TransactionDate, StartDate, EndDate) from its input text. A value without an offset
 * keeps its calendar date. With `Z`/an offset, the instant is moved `shiftHours` first, then the date is
 * taken. The knob exists because it is UNCONFIRMED whether Acumatica shifts such values into the tenant's
 * time zone.
 */
export function dateOnly(text: string, shiftHours = 0): string {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) && /T/.test(text);
  if (hasOffset && shiftHours !== 0) {
    const shifted = new Date(Date.parse(text) + shiftHours * 3600_000);
    return `${shifted.toISOString().slice(0, 10)}T00:00:00.000Z`;
  }
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(text);
  return m ? `${m[1]}T00:00:00.000Z` : `${new Date(text).toISOString().slice(0, 10)}T00:00:00.000Z`;
}
