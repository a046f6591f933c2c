/**
 * A small OData v3 `$filter` parser and evaluator: eq ne gt ge lt le, and/or/not, parentheses,
 * substringof('x',F), startswith(F,'x'), endswith(F,'x'), literals 'str', numbers, true/false/null,
 * datetimeoffset'…', datetime'…', date'…', guid'…', and linked-entity paths (`EmployeeSettings/EmployeeRefNbr`).
 * String comparisons are case-insensitive (Acumatica runs them on SQL Server's CI collation).
 */
import BigNumber from 'bignumber.js';
import type { EntitySchema, FieldType, Rec, Scalar } from './schema';

export class FilterError extends Error {}

export type Literal = {
  kind: 'lit';
  value: string | number | boolean | null;
  type: 'string' | 'number' | 'boolean' | 'null' | 'datetime';
};
export type Operand = Literal | { kind: 'path'; path: string[] };
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: Operand; right: Operand }
  | { kind: 'fn'; name: 'substringof' | 'startswith' | 'endswith'; field: Operand; text: Operand };

type Tok = { t: 'id' | 'str' | 'num' | 'typed' | '(' | ')' | ','; v: string; pos: number; typ?: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const readQuoted = (): string => {
    let out = '';
    i++;
    for (;;) {
      if (i >= src.length) throw new FilterError(`Unterminated string literal at position ${i} in '${src}'.`);
      if (src[i] === "'") {
        if (src[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += src[i++];
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ') {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')' || c === ',') {
      toks.push({ t: c, v: c, pos });
      i++;
      continue;
    }
    if (c === "'") {
      toks.push({ t: 'str', v: readQuoted(), pos });
      continue;
    }
    const num = /^-?\d+(\.\d+)?[mMdD]?/.exec(src.slice(i));
    if (num) {
      toks.push({ t: 'num', v: num[0].replace(/[mMdD]$/, ''), pos });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(src.slice(i));
    if (id) {
      i += id[0].length;
      if (src[i] === "'" && ['datetimeoffset', 'datetime', 'date', 'guid'].includes(id[0])) {
        toks.push({ t: 'typed', typ: id[0], v: readQuoted(), pos });
      } else toks.push({ t: 'id', v: id[0], pos });
      continue;
    }
    throw new FilterError(`Syntax error: character '${c}' is not valid at position ${i} in '${src}'.`);
  }
  return toks;
}

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(src: string): FilterNode {
  const toks = tokenize(src);
  let k = 0;
  const peek = (): Tok | undefined => toks[k];
  const err = (what: string): never => {
    const tok = peek();
    throw new FilterError(`Syntax error: ${what} at position ${tok ? tok.pos : src.length} in '${src}'.`);
  };
  const expect = (t: Tok['t']): Tok => (peek()?.t === t ? toks[k++] : err(`'${t}' expected`));
  const kw = (w: string): boolean => peek()?.t === 'id' && peek()?.v.toLowerCase() === w;

  const operand = (): Operand => {
    const tok = peek();
    if (!tok) return err('operand expected');
    k++;
    if (tok.t === 'str') return { kind: 'lit', value: tok.v, type: 'string' };
    if (tok.t === 'num') return { kind: 'lit', value: tok.v, type: 'number' };
    if (tok.t === 'typed') {
      if (tok.typ === 'guid') return { kind: 'lit', value: tok.v, type: 'string' };
      if (Number.isNaN(Date.parse(tok.v))) {
        k--;
        return err(`invalid ${tok.typ} literal '${tok.v}'`);
      }
      return { kind: 'lit', value: tok.v, type: 'datetime' };
    }
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', value: tok.v === 'true', type: 'boolean' };
      if (tok.v === 'null') return { kind: 'lit', value: null, type: 'null' };
      if (peek()?.t === '(') {
        k--;
        return err(`unknown function '${tok.v}'`);
      }
      return { kind: 'path', path: tok.v.split('/') };
    }
    k--;
    return err('operand expected');
  };
  const primary = (): FilterNode => {
    if (peek()?.t === '(') {
      k++;
      const e = or();
      expect(')');
      return e;
    }
    if (kw('not')) {
      k++;
      return { kind: 'not', operand: primary() };
    }
    const tok = peek();
    if (
      tok?.t === 'id' &&
      toks[k + 1]?.t === '(' &&
      ['substringof', 'startswith', 'endswith'].includes(tok.v.toLowerCase())
    ) {
      const name = tok.v.toLowerCase() as 'substringof' | 'startswith' | 'endswith';
      k += 2;
      const a = operand();
      expect(',');
      const b = operand();
      expect(')');
      const node: FilterNode =
        name === 'substringof' ? { kind: 'fn', name, text: a, field: b } : { kind: 'fn', name, field: a, text: b };
      if (kw('eq') || kw('ne')) {
        const op = toks[k++].v.toLowerCase();
        const lit = operand();
        if (lit.kind !== 'lit' || lit.type !== 'boolean') return err('boolean expected');
        return (lit.value === true) === (op === 'eq') ? node : { kind: 'not', operand: node };
      }
      return node;
    }
    const left = operand();
    const opTok = peek();
    if (!opTok || opTok.t !== 'id' || !CMP.has(opTok.v.toLowerCase())) return err('comparison operator expected');
    k++;
    return { kind: 'cmp', op: opTok.v.toLowerCase() as 'eq', left, right: operand() };
  };
  /** `a op b op c` read left-associatively, each side by `side`. */
  const chain = (op: 'and' | 'or', side: () => FilterNode) => (): FilterNode => {
    let left = side();
    while (kw(op)) {
      k++;
      left = { kind: op, left, right: side() };
    }
    return left;
  };
  const and = chain('and', primary);
  const or = chain('or', and);
  if (toks.length === 0) err('empty expression');
  const tree = or();
  if (k < toks.length) err(`unexpected '${toks[k].v}'`);
  return tree;
}

/** Check that every path names a field of the schema (linked entities allowed, detail collections not). */
export function checkPaths(node: FilterNode, schema: EntitySchema): void {
  const visit = (o: Operand): void => {
    if (o.kind === 'path') fieldType(schema, o.path);
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      checkPaths(node.left, schema);
      checkPaths(node.right, schema);
      return;
    case 'not':
      checkPaths(node.operand, schema);
      return;
    case 'cmp':
      visit(node.left);
      visit(node.right);
      return;
    case 'fn':
      visit(node.field);
      visit(node.text);
      return;
  }
}

function fieldType(schema: EntitySchema, path: string[]): FieldType {
  let sc = schema;
  for (const seg of path.slice(0, -1)) {
    if (sc.details?.[seg])
      throw new FilterError(`Filtering on detail entity fields is not supported: '${path.join('/')}'.`);
    const next = sc.linked?.[seg];
    if (!next) throw new FilterError(`Invalid field name '${path.join('/')}'.`);
    sc = next;
  }
  const t = sc.fields[path[path.length - 1]];
  if (!t) throw new FilterError(`Invalid field name '${path.join('/')}'.`);
  return t;
}

function resolve(rec: Rec, o: Operand): { v: Scalar; type?: FieldType | Literal['type'] } {
  if (o.kind === 'lit') return { v: o.value, type: o.type };
  let r: Rec | undefined = rec;
  for (const seg of o.path.slice(0, -1)) r = r?.linked[seg];
  return { v: r?.f[o.path[o.path.length - 1]] ?? null };
}

function compare(a: Scalar, b: Scalar, mode: 'date' | 'number' | 'text'): number | null {
  if (a === null || b === null) return a === b ? 0 : null;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : null;
  if (mode === 'date') return Math.sign(Date.parse(String(a)) - Date.parse(String(b)));
  if (mode === 'number') {
    const na = new BigNumber(String(a)),
      nb = new BigNumber(String(b));
    return na.isNaN() || nb.isNaN() ? null : na.comparedTo(nb);
  }
  const x = String(a).toLowerCase(),
    y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluate(node: FilterNode, rec: Rec): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, rec) && evaluate(node.right, rec);
    case 'or':
      return evaluate(node.left, rec) || evaluate(node.right, rec);
    case 'not':
      return !evaluate(node.operand, rec);
    case 'fn': {
      const field = resolve(rec, node.field).v,
        text = resolve(rec, node.text).v;
      if (field === null || text === null) return false;
      const f = String(field).toLowerCase(),
        t = String(text).toLowerCase();
      return node.name === 'substringof' ? f.includes(t) : node.name === 'startswith' ? f.startsWith(t) : f.endsWith(t);
    }
    case 'cmp': {
      const l = resolve(rec, node.left),
        r = resolve(rec, node.right);
      const has = (t: string): boolean => l.type === t || r.type === t;
      const c = compare(l.v, r.v, has('datetime') ? 'date' : has('number') ? 'number' : 'text');
      if (c === null) return node.op === 'ne';
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[node.op];
    }
  }
}
