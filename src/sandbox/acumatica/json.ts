/**
 * JSON with exact numbers. Requests are parsed so that every JSON number keeps its decimal text
 * (`JsonNum`), which is how money is read without ever summing floats; responses may carry
 * `RawNumber`s that are written verbatim (e.g. `24000.00`).
 */
export class JsonNum {
  constructor(readonly text: string) {}
}
export class RawNumber {
  constructor(readonly text: string) {}
}
export type JsonValue = null | boolean | string | JsonNum | JsonValue[] | { [k: string]: JsonValue };

export class JsonSyntaxError extends Error {}

export function parseJson(text: string): JsonValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`Unexpected ${what} at position ${i}.`);
  };
  /** After a member: `,` → true (another follows), `close` → false (consumed), anything else fails. */
  const more = (close: '}' | ']'): boolean => {
    ws();
    if (text[i] === ',') return (i++, true);
    if (text[i] === close) return (i++, false);
    return fail(text[i] === undefined ? 'end of input' : 'token');
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: JsonValue } = {};
      ws();
      if (text[i] === '}') return (i++, obj);
      for (;;) {
        ws();
        if (text[i] !== '"') fail('token');
        const k = str();
        ws();
        if (text[i++] !== ':') fail('token');
        obj[k] = value();
        if (!more('}')) return obj;
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') return (i++, arr);
      for (;;) {
        arr.push(value());
        if (!more(']')) return arr;
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(lit, i)) return ((i += lit.length), v);
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail(c === undefined ? 'end of input' : 'token');
    i += m[0].length;
    return new JsonNum(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('end of input');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i < text.length) fail('token');
  return v;
}

/** Serialize, writing `RawNumber`/`JsonNum` text as-is and skipping `undefined` members. */
export function stringifyJson(v: unknown): string {
  if (v instanceof RawNumber || v instanceof JsonNum) return v.text;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => stringifyJson(x)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== undefined) parts.push(`${JSON.stringify(k)}:${stringifyJson(x)}`);
  }
  return `{${parts.join(',')}}`;
}

export const isObject = (v: unknown): v is { [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNum);
