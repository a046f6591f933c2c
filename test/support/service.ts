import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createApp, type CreateAppOptions } from '../../src/bootstrap';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
/** A fixed key so two processes of one test can open each other's sealed secrets. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestService {
  url: string;
  app: NestExpressApplication;
  config: AppConfig;
  /** Every JSON log line the service wrote (for secret scans and assertions). */
  logs: string[];
  dataDir: string;
  /** Authorization header value for /api calls. */
  auth: { Authorization: string };
  close(): Promise<void>;
}

export interface StartServiceOptions extends Omit<CreateAppOptions, 'logSink'> {
  env?: Record<string, string | undefined>;
  /** Reuse a data folder (e.g. to restart on the same SQLite file). Default: a fresh temp folder. */
  dataDir?: string;
  /** Keep the data folder on close (default: removed when it was created here). */
  keepData?: boolean;
}

export function tempDataDir(prefix = 'mlc-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The environment a test service runs with: temp SQLite store, fixed admin token and key, quick retries. */
export function testEnv(
  dataDir: string,
  env: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    EVENT_STORE_URL: `sqlite:${join(dataDir, 'ml-connector.db')}`,
    MLC_DATA_DIR: dataDir,
    MLC_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    MLC_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    GUSTO_CLIENT_ID: 'test-gusto-client',
    GUSTO_CLIENT_SECRET: 'test-gusto-client-secret-value',
    GUSTO_WEBHOOK_VERIFICATION_TOKEN: 'test-webhook-verification-token',
    MLC_ACUMATICA_ALLOWED_HOSTS: '127.0.0.1,localhost', // the sandboxes

    POLL_CRON: '0 0 1 1 *',
    RETRY_BASE_MS: '50',
    RETRY_CAP_MS: '1000',
    // The sandboxes hold a request at most a couple of seconds (latency knobs, holdNextCreate in tests that
    // set their own limit): a create whose answer was lost is repeated after 2 s (+2 s send window), not 10 min.
    ACUMATICA_QUEUE_LIMIT_S: '2',
    LOG_LEVEL: 'info',
    ...env,
  };
}

/** Runs the whole service in this process on an ephemeral port. */
export async function startService(options: StartServiceOptions = {}): Promise<TestService> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig(testEnv(dataDir, options.env));
  const logs: string[] = [];
  const app = await createApp(config, { ...options, logSink: (line) => logs.push(line) });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    app,
    config,
    logs,
    dataDir,
    auth: { Authorization: `Bearer ${config.adminToken}` },
    async close() {
      await app.close();
      if (ownDir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  /** The raw text, for scans (secrets) that must see exactly what was sent. */
  text: string;
}

/** One HTTP call to a service: JSON body in, JSON (or text) out, redirects not followed. */
export async function apiCall<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

export interface SpawnedService {
  url: string;
  process: ChildProcess;
  /** stdout and stderr lines so far. */
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const MAIN = resolve(__dirname, '../../dist/src/main.js');

/** Runs `node dist/src/main.js` as a child process (npm test builds dist first). Resolves once it listens. */
export async function spawnService(
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number; cwd?: string; inheritEnv?: boolean } = {},
): Promise<SpawnedService> {
  const timeoutMs = options.timeoutMs ?? 20000;
  const childEnv = options.inheritEnv === false ? { PATH: process.env.PATH, ...env } : { ...process.env, ...env };
  const child = spawn(process.execPath, [MAIN], { env: childEnv, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`service did not start within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /"msg":"ml-connector listening".*"port":(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolveUrl(`http://127.0.0.1:${match[1]}`);
        }
      }
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    process: child,
    output,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
