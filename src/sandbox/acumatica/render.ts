/** Records rendered as Acumatica JSON: `{ "value": … }` members, alphabetical keys, `_links`. */
import { RawNumber } from './json';
import type { EntitySchema, FieldType, Rec, Scalar } from './schema';

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
