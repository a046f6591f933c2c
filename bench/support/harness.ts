/**
 * Shared by the benchmarks (bench/*.bench.ts) and the reliability suite (test/reliability): the Gusto and
 * Acumatica sandboxes on loopback, the service (in-process through `createApp`, or any URL), companies
 * connected through the real OAuth flow and mapping API, and a few small measuring helpers.
 * Nothing here mocks one of our ports: every call is real HTTP.
 */
import { exampleMapping } from '../../src/sandbox/example-mapping';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import {
  startAcumaticaSandbox,
  type AcumaticaSandbox,
  type AcumaticaSandboxOptions,
} from '../../src/sandbox/acumatica';
import { startGustoSandbox, type GustoSandbox, type GustoSandboxOptions } from '../../src/sandbox/gusto';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
export const GUSTO_CLIENT_ID = 'bench-gusto-client';
export const GUSTO_CLIENT_SECRET = 'bench-gusto-client-secret-value';
export const WEBHOOK_TOKEN = 'bench-webhook-verification-token';
export const ACUMATICA_USER = 'api.gusto';
export const ACUMATICA_PASSWORD = 'Sandbox-Passw0rd!';
export const ACUMATICA_CLIENT_ID = '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@AcmeCorp';
export const ACUMATICA_CLIENT_SECRET = 'sandbox-client-secret';
export const ENDPOINT_VERSION = '24.200.001';
/** Callback host the service redirects to; the harness follows the redirect itself, nothing listens there. */
export const REDIRECT_URI = 'http://127.0.0.1:9/oauth/gusto/callback';

/** The secrets of a run: none may appear in any log line or response. */
export const SECRETS = [
  ADMIN_TOKEN,
  ENCRYPTION_KEY,
  GUSTO_CLIENT_SECRET,
  WEBHOOK_TOKEN,
  ACUMATICA_PASSWORD,
  ACUMATICA_CLIENT_SECRET,
];

/** The interface spec's example mapping (copied: bench and tests never read /work/shared). */
export const MAPPING = exampleMapping('HQ');

export type Env = Record<string, string | undefined>;

/** The service's environment: a SQLite file in `dataDir`, fixed secrets, the sandboxes' URLs, no scheduled poll. */
export function serviceEnv(dataDir: string, gustoUrl: string, extra: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    EVENT_STORE_URL: `sqlite:${join(dataDir, 'ml-connector.db')}`,
    MLC_DATA_DIR: dataDir,
    MLC_ADMIN_TOKEN: ADMIN_TOKEN,
    MLC_ENCRYPTION_KEY: ENCRYPTION_KEY,
    GUSTO_CLIENT_ID,
    GUSTO_CLIENT_SECRET,
    GUSTO_WEBHOOK_VERIFICATION_TOKEN: WEBHOOK_TOKEN,
    MLC_ACUMATICA_ALLOWED_HOSTS: '127.0.0.1,localhost', // the Acumatica sandbox
    GUSTO_API_BASE_URL: gustoUrl,
    GUSTO_REDIRECT_URI: REDIRECT_URI,
    POLL_CRON: '0 0 1 1 *',
    RETRY_BASE_MS: '50',
    RETRY_CAP_MS: '1000',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export const tempDir = (prefix = 'mlc-bench-'): string => mkdtempSync(join(tmpdir(), prefix));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export interface Sandboxes {
  gusto: GustoSandbox;
  acumatica: AcumaticaSandbox;
  close(): Promise<void>;
}

export async function startSandboxes(
  options: { gusto?: GustoSandboxOptions; acumatica?: AcumaticaSandboxOptions } = {},
): Promise<Sandboxes> {
  const gusto = await startGustoSandbox({
    clientId: GUSTO_CLIENT_ID,
    clientSecret: GUSTO_CLIENT_SECRET,
    verificationToken: WEBHOOK_TOKEN,
    ...options.gusto,
  });
  const acumatica = await startAcumaticaSandbox(options.acumatica ?? {});
  return {
    gusto,
    acumatica,
    async close() {
      await gusto.close();
      await acumatica.close();
    },
  };
}

/** A running service, wherever it runs: what the helpers below need. */
export interface ServiceHandle {
  url: string;
}

export interface InProcessService extends ServiceHandle {
  app: NestExpressApplication;
  logs: string[];
  dataDir: string;
  close(): Promise<void>;
}

/** The whole service in this process (createApp), listening on 127.0.0.1 with an ephemeral port. */
export async function startInProcess(dataDir: string, gustoUrl: string, extra: Env = {}): Promise<InProcessService> {
  const config = loadConfig(serviceEnv(dataDir, gustoUrl, extra));
  const logs: string[] = [];
  const app = await createApp(config, { logSink: (line) => logs.push(line) });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app, logs, dataDir, close: () => app.close() };
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Every answer body seen by `api` (for the secrets scan), bounded. */
export const seenResponses: string[] = [];
const MAX_SEEN = 50_000;

export async function api<T = any>(
  service: ServiceHandle,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` },
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (seenResponses.length < MAX_SEEN)
    seenResponses.push(`${res.status} ${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

export interface Company {
  connectionId: string;
  companyUuid: string;
}

/**
 * One Gusto company connected the way an administrator does it: POST /api/connections (Acumatica over
 * OAuth), our authorize → Gusto's authorize (auto-approves) → our callback, then PUT the mapping.
 */
export async function connectCompany(
  service: ServiceHandle,
  sb: Sandboxes,
  name: string,
  mapping: unknown = MAPPING,
  acumaticaExtra: Record<string, unknown> = {},
): Promise<Company> {
  const company = sb.gusto.scenario.createCompany({ name });
  return connectExisting(service, sb.acumatica.url, company.uuid, name, mapping, acumaticaExtra);
}

/** The same for a Gusto company that already exists (e.g. created over the sandbox's HTTP scenario API, in another process). */
export async function connectExisting(
  service: ServiceHandle,
  acumaticaUrl: string,
  companyUuid: string,
  name: string,
  mapping: unknown = MAPPING,
  acumaticaExtra: Record<string, unknown> = {},
): Promise<Company> {
  const company = { uuid: companyUuid };
  const created = await api(service, 'POST', '/api/connections', {
    name,
    acumatica: {
      baseUrl: acumaticaUrl,
      tenant: 'AcmeCorp',
      branch: 'HEADOFFICE',
      endpointVersion: ENDPOINT_VERSION,
      auth: {
        kind: 'oauth2',
        clientId: ACUMATICA_CLIENT_ID,
        clientSecret: ACUMATICA_CLIENT_SECRET,
        username: ACUMATICA_USER,
        password: ACUMATICA_PASSWORD,
      },
      ...acumaticaExtra,
    },
  });
  if (created.status !== 201) throw new Error(`POST /api/connections: ${created.status} ${created.text.slice(0, 300)}`);
  const connectionId = String(created.body.id);
  const start = await api(
    service,
    'GET',
    `/api/connections/${connectionId}/gusto/authorize?companyUuid=${company.uuid}`,
  );
  if (start.status !== 302) throw new Error(`authorize: ${start.status} ${start.text.slice(0, 300)}`);
  const gustoUrl = new URL(start.headers.get('location')!);
  gustoUrl.searchParams.set('company_uuid', company.uuid);
  const approved = await fetch(gustoUrl, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  const done = await api(service, 'GET', `/oauth/gusto/callback?${back.searchParams.toString()}`, undefined, {});
  if (done.status !== 200) throw new Error(`callback: ${done.status} ${done.text.slice(0, 300)}`);
  const mapped = await api(service, 'PUT', `/api/connections/${connectionId}/mapping`, mapping);
  if (mapped.status !== 200) throw new Error(`mapping: ${mapped.status} ${mapped.text.slice(0, 300)}`);
  return { connectionId, companyUuid: company.uuid };
}

/** `count` companies, connected `parallel` at a time; `acumaticaExtra` adds to each connection's Acumatica settings (e.g. `licence`). */
export async function connectCompanies(
  service: ServiceHandle,
  sb: Sandboxes,
  count: number,
  prefix = 'Bench Co',
  parallel = 10,
  mappingOf: (index: number) => unknown = () => MAPPING,
  acumaticaExtra: Record<string, unknown> = {},
): Promise<Company[]> {
  const out: Company[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - i) }, (_, j) =>
        connectCompany(service, sb, `${prefix} ${i + j + 1}`, mappingOf(i + j), acumaticaExtra),
      ),
    );
    out.push(...batch);
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a truthy value; undefined when `timeoutMs` passes. */
export async function waitUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 5,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}

/** The payroll uuid in a journal Description's `[gusto:<uuid>]` tag. */
export function tagOf(description: unknown): string | undefined {
  const m = /\[gusto:([0-9a-f-]{36})\]/i.exec(String(description ?? ''));
  return m?.[1];
}

/** Counts journal creates (PUT …/JournalTransaction) the Acumatica sandbox answered 200, incrementally. */
export class CreateCounter {
  private index = 0;
  private pending: Array<{ status: number }> = [];
  count = 0;
  constructor(private readonly acumatica: AcumaticaSandbox) {}
  poll(): number {
    const reqs = this.acumatica.requests;
    for (; this.index < reqs.length; this.index++) {
      const r = reqs[this.index]!;
      if (r.method === 'PUT' && r.path.endsWith('/JournalTransaction')) this.pending.push(r);
    }
    if (this.pending.length > 0) {
      this.pending = this.pending.filter((r) => {
        if (r.status === 0) return true;
        if (r.status === 200) this.count++;
        return false;
      });
    }
    return this.count;
  }
}

/** Wall-clock epoch milliseconds with sub-millisecond resolution. */
export const hrEpochMs = (): number => performance.timeOrigin + performance.now();

/**
 * The moments (hrEpochMs) the Acumatica sandbox answered journal creates with 200, in order. It watches the
 * sandbox's own request log: each record's `status` is set when the answer is written, so a setter on
 * new records notes the time. Used where one create is in flight at a time (1 company, the floor), where
 * the n-th answer belongs to the n-th posting; CreatedDateTime has only millisecond resolution.
 */
export function watchCreateAnswers(acumatica: AcumaticaSandbox): number[] {
  const times: number[] = [];
  const requests = acumatica.requests;
  const push = requests.push.bind(requests);
  requests.push = (...records) => {
    for (const record of records) {
      if (record.method !== 'PUT' || !record.path.endsWith('/JournalTransaction')) continue;
      let status = record.status;
      Object.defineProperty(record, 'status', {
        enumerable: true,
        configurable: true,
        get: () => status,
        set: (value: number) => {
          status = value;
          if (value === 200) times.push(hrEpochMs());
        },
      });
    }
    return push(...records);
  };
  return times;
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

export function summary(latencies: number[]): {
  n: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
} {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    n: s.length,
    p50_ms: percentile(s, 50),
    p95_ms: percentile(s, 95),
    p99_ms: percentile(s, 99),
    max_ms: s.length ? s[s.length - 1]! : null,
  };
}

/** Lines (or answers) in which any secret occurs, with the secret's name; empty = clean. */
export function findSecrets(texts: Iterable<string>, secrets: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const text of texts) {
    for (const [name, value] of Object.entries(secrets)) {
      if (value && text.includes(value)) hits.push(`${name} in: ${text.slice(0, 200)}`);
    }
  }
  return hits;
}
