/** Request bodies read into `EntityInput`s and applied onto records (fields, linked entities, detail lines). */
import { isObject, JsonNum, JsonValue } from './json';
import type { EntitySchema, FieldType, Rec, Scalar } from './schema';
import { required } from '../../domain/shared/required';

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
