/** Test helpers for the Gusto sandbox: OAuth dance, versioned GETs, a webhook receiver, cents arithmetic. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GustoSandbox } from '../../../src/sandbox/gusto';

export const VERSION = '2026-06-15';
export const REDIRECT = 'http://127.0.0.1:9/callback';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export const call = async <T = any>(url: string, init: RequestInit = {}): Promise<Answer<T>> => {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: body as T };
};

export const get = <T = any>(
  sb: GustoSandbox,
  path: string,
  token: string,
  version: string | null = VERSION,
): Promise<Answer<T>> =>
  call<T>(`${sb.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...(version ? { 'x-gusto-api-version': version } : {}) },
  });

export const postJson = <T = any>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> =>
  call<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gusto-api-version': VERSION, ...headers },
    body: JSON.stringify(body),
  });

export const authorizeCode = async (
  sb: GustoSandbox,
  extra: Record<string, string> = {},
): Promise<{ status: number; location: URL }> => {
  const q = new URLSearchParams({
    client_id: sb.config.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 'st-1',
    ...extra,
  });
  const res = await call(`${sb.url}/oauth/authorize?${q}`);
  return { status: res.status, location: new URL(res.headers.get('location') ?? 'http://none/') };
};

export const tokenCall = (sb: GustoSandbox, body: Record<string, string>): Promise<Answer<any>> =>
  postJson(`${sb.url}/oauth/token`, { client_id: sb.config.clientId, client_secret: sb.config.clientSecret, ...body });

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  created_at: number;
  scope: string;
}

/** Runs authorize + code exchange; returns the token pair for the chosen (or most recent) company. */
export const connect = async (sb: GustoSandbox, companyUuid?: string): Promise<TokenPair> => {
  const { location } = await authorizeCode(sb, companyUuid ? { company_uuid: companyUuid } : {});
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code: ${location}`);
  const res = await tokenCall(sb, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  if (res.status !== 200) throw new Error(`token exchange failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TokenPair;
};

export const systemToken = async (sb: GustoSandbox): Promise<string> =>
  ((await tokenCall(sb, { grant_type: 'system_access' })).body as TokenPair).access_token;

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook endpoint that records raw bodies; `answer` decides each status code. */
export const startReceiver = async (
  answer: (n: number, body: string) => number = () => 200,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> => {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      res.writeHead(answer(received.length, body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** Decimal string (or number) → bigint cents, exactly. */
export const cents = (v: unknown): bigint => {
  const s = typeof v === 'number' ? v.toFixed(2) : String(v);
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a 2-decimal amount: ${s}`);
  const c = BigInt(m[2] as string) * 100n + BigInt(m[3] as string);
  return m[1] === '-' ? -c : c;
};

export const sumCents = (values: unknown[]): bigint => values.reduce<bigint>((acc, v) => acc + cents(v), 0n);

/** Recursively collects "path.key" for every key of objects (arrays merged across their items). */
export const keyPaths = (value: unknown, prefix = ''): Set<string> => {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) for (const k of keyPaths(item, `${prefix}[]`)) out.add(k);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${prefix}.${k}`);
      for (const p of keyPaths(v, `${prefix}.${k}`)) out.add(p);
    }
  }
  return out;
};
