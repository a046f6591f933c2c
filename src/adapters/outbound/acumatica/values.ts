/**
 * Acumatica's contract API wraps every field as `{ "value": … }` (and answers `{}` for null).
 * These helpers keep that shape at the edge: the rest of the code sees plain values.
 */
export type Wrapped<T> = { value?: T | null; error?: string };

export type WireEntity = Record<string, unknown>;

export function value<T>(field: unknown): T | undefined {
  if (field === null || typeof field !== 'object') return undefined;
  const v = (field as Wrapped<T>).value;
  return v === null ? undefined : v;
}

export const str = (field: unknown): string | undefined => {
  const v = value<unknown>(field);
  return v === undefined ? undefined : String(v);
};

export const bool = (field: unknown): boolean | undefined => {
  const v = value<unknown>(field);
  return typeof v === 'boolean' ? v : v === undefined ? undefined : String(v).toLowerCase() === 'true';
};

/** `{ a: 1, b: undefined }` → `{ a: { value: 1 } }`: absent fields stay absent so PUT leaves them alone. */
export function wrap(fields: Record<string, unknown>): WireEntity {
  const out: WireEntity = {};
  for (const [key, v] of Object.entries(fields)) if (v !== undefined) out[key] = { value: v };
  return out;
}

/**
 * Every `error` anywhere in an entity echo (422): Acumatica puts the real causes on fields, detail lines
 * included, and only a generic sentence at the top. Paths name the field: "Details[2].Account: …".
 */
export function collectFieldErrors(entity: unknown, path = ''): string[] {
  if (Array.isArray(entity)) return entity.flatMap((item, i) => collectFieldErrors(item, `${path}[${i}]`));
  if (entity === null || typeof entity !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(entity as Record<string, unknown>)) {
    if (key === 'error' && typeof child === 'string' && path !== '') out.push(`${path}: ${child}`);
    else if (child && typeof child === 'object') out.push(...collectFieldErrors(child, path ? `${path}.${key}` : key));
  }
  return out;
}

/** OData string literal: a quote inside is doubled. */
export const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
