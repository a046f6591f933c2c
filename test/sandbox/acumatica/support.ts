/** Helpers for the Acumatica sandbox tests: real HTTP with fetch, fixtures, key-set comparison. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcumaticaSandbox, AcumaticaSandboxOptions, startAcumaticaSandbox } from '../../../src/sandbox/acumatica';

export const V = '24.200.001';
export const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../../fixtures/acumatica-sandbox', name), 'utf8');
export const fixtureJson = <T = Record<string, unknown>>(name: string): T => JSON.parse(fixture(name)) as T;

export interface Res {
  status: number;
  headers: Headers;
  text: string;

  json: any;
}

export async function call(
  sb: AcumaticaSandbox,
  method: string,
  path: string,
  o: { token?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.cookie) headers.cookie = o.cookie;
  let body: string | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const r = await fetch(`${sb.url}${path}`, { method, headers, body });
  const text = await r.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

export const entity = (path: string): string => `/entity/Default/${V}${path}`;
export const q = (filter: string): string => `$filter=${encodeURIComponent(filter)}`;

export async function tokenResponse(sb: AcumaticaSandbox, extra: Record<string, string> = {}): Promise<Res> {
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: sb.clients[0].clientId,
    client_secret: sb.clients[0].clientSecret,
    username: sb.users[0].username,
    password: sb.users[0].password,
    scope: 'api offline_access',
    ...extra,
  });
  return call(sb, 'POST', '/identity/connect/token', {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export async function token(sb: AcumaticaSandbox): Promise<string> {
  const r = await tokenResponse(sb);
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export async function started(options?: AcumaticaSandboxOptions): Promise<{ sb: AcumaticaSandbox; tok: string }> {
  const sb = await startAcumaticaSandbox(options);
  return { sb, tok: await token(sb) };
}

/** Key paths of a JSON document: `{value}`/`{}` wrappers are leaves, arrays collapse to `[]`. */
export function keyPaths(v: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown, p: string): void => {
    if (Array.isArray(x)) return x.forEach((e) => walk(e, `${p}[]`));
    if (x === null || typeof x !== 'object') return;
    const keys = Object.keys(x);
    if (keys.every((k) => k === 'value' || k === 'error') && p !== prefix) return;
    for (const k of keys) {
      const child = p ? `${p}.${k}` : k;
      out.add(child);
      if (!['note', 'custom', '_links'].includes(k)) walk((x as Record<string, unknown>)[k], child);
    }
  };
  walk(v, prefix);
  return out;
}

export const sorted = (s: Set<string>): string[] => [...s].sort();

/** The sample journal with the tag replaced, so tests can post many. */
export function sampleJournal(tag = 'gusto:3f1c2a9b-7d4e-4b8a-9c21-5e6f7a8b9c0d'): string {
  return fixture('journal-transaction.put.request.json').replace('gusto:3f1c2a9b-7d4e-4b8a-9c21-5e6f7a8b9c0d', tag);
}

/** A minimal balanced journal with exact decimal text amounts (written verbatim into the JSON). */
export function journalBody(
  lines: Array<[account: string, debit: string, credit: string, sub?: string]>,
  extra = '',
): string {
  const l = lines.map(
    ([a, d, c, s]) =>
      `{"Account":{"value":"${a}"},"Subaccount":{"value":"${s ?? '000000'}"},"DebitAmount":{"value":${d}},"CreditAmount":{"value":${c}}}`,
  );
  return (
    `{"Module":{"value":"GL"},"TransactionDate":{"value":"2025-03-31"},"Description":{"value":"Test journal [gusto:t1]"},` +
    `"Hold":{"value":false}${extra},"Details":[${l.join(',')}]}`
  );
}
