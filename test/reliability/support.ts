/**
 * Reliability suite helpers: scale, a recording proxy in front of the Gusto sandbox (to learn the tokens
 * Gusto issued, for the secrets scan), spawned services on a fixed port (restartable), audit-trail reads.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnService, type SpawnedService } from '../support/service';
import {
  ACUMATICA_CLIENT_SECRET,
  ACUMATICA_PASSWORD,
  ADMIN_TOKEN,
  ENCRYPTION_KEY,
  GUSTO_CLIENT_SECRET,
  WEBHOOK_TOKEN,
  api,
  removeDir,
  serviceEnv,
  type Env,
  type ServiceHandle,
} from '../../bench/support/harness';

/** `RELIABILITY_SCALE=small`: the reduced run for CI; anything else: the full run. */
export const SMALL = process.env.RELIABILITY_SCALE === 'small';
export const SCALE = SMALL
  ? { payrolls: 20, companies: 5, kills: 3, fuzz: 1_000, twoInstancePayrolls: 12 }
  : { payrolls: 100, companies: 10, kills: 10, fuzz: 10_000, twoInstancePayrolls: 30 };

/** Deterministic randomness (mulberry32), so a failing run can be repeated with RELIABILITY_SEED. */
export function seeded(seed = Number(process.env.RELIABILITY_SEED ?? 20261126)): {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
} {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

/** A pass-through HTTP proxy that remembers every bearer token sent and every token issued by /oauth/token. */
export interface RecordingProxy {
  url: string;
  tokens: Set<string>;
  close(): Promise<void>;
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const tokens = new Set<string>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = req.headers.authorization;
      if (typeof auth === 'string' && /^bearer /i.test(auth)) tokens.add(auth.slice(7).trim());
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host };
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (up) => {
          const isToken = (req.url ?? '').startsWith('/oauth/token');
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const text = Buffer.concat(parts);
            if (isToken) {
              try {
                const parsed = JSON.parse(text.toString('utf8')) as { access_token?: string; refresh_token?: string };
                if (parsed.access_token) tokens.add(parsed.access_token);
                if (parsed.refresh_token) tokens.add(parsed.refresh_token);
              } catch {
                /* not JSON */
              }
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(text);
          });
          up.on('error', () => res.destroy());
        },
      );
      out.on('error', () => res.destroy());
      res.on('close', () => out.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port free on every interface (the service listens on all of them). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A service child process that can be SIGKILLed and started again on the same port and SQLite file.
 * Every line any incarnation wrote is kept in `output`.
 */
export class RestartableService implements ServiceHandle {
  current?: SpawnedService;
  readonly output: string[] = [];
  starts = 0;
  constructor(
    readonly env: Env,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async create(dataDir: string, gustoUrl: string, extra: Env = {}): Promise<RestartableService> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      // The sandboxes hold a request a couple of seconds at most: a create whose answer was lost (injected
      // 500s, timeouts, SIGKILLs) is repeated after 2 s (+2 s send window) instead of the real 10 minutes.
      const service = new RestartableService(
        serviceEnv(dataDir, gustoUrl, { PORT: String(port), ACUMATICA_QUEUE_LIMIT_S: '2', ...extra }),
        port,
      );
      try {
        await service.start(1);
        return service;
      } catch (error) {
        lastError = error; // someone took the port in between: another one
      }
    }
    throw lastError;
  }

  async start(attempts = 5): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        this.current = await spawnService(this.env, { timeoutMs: 60_000 });
        this.starts++;
        return;
      } catch (error) {
        lastError = error; // e.g. the port not yet free after a kill: try again
        this.output.push(`[start failed] ${String((error as Error).message).slice(0, 2000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw lastError;
  }

  /** Collects the finished incarnation's output (call after kill). */
  private harvest(): void {
    if (this.current) this.output.push(...this.current.output.splice(0));
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.current?.kill(signal);
    this.harvest();
  }

  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    await this.start();
  }

  alive(): boolean {
    const p = this.current?.process;
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  pid(): number | undefined {
    return this.current?.process.pid;
  }

  /** Every line written so far, this incarnation included. */
  lines(): string[] {
    return [...this.output, ...(this.current?.output ?? [])];
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }
}

export const postingId = (connectionId: string, payrollUuid: string): string =>
  encodeURIComponent(`${connectionId}:${payrollUuid}`);

export async function trailOf(service: ServiceHandle, connectionId: string, payrollUuid: string): Promise<string[]> {
  const res = await api<{ items: Array<{ type: string }> }>(
    service,
    'GET',
    `/api/postings/${postingId(connectionId, payrollUuid)}/events`,
  );
  return res.status === 200 ? res.body.items.map((e) => e.type) : [`HTTP ${res.status}`];
}

export async function postingOf(
  service: ServiceHandle,
  connectionId: string,
  payrollUuid: string,
): Promise<{ status?: string; lastError?: unknown } | null> {
  const res = await api(service, 'GET', `/api/postings/${postingId(connectionId, payrollUuid)}`);
  return res.status === 200 ? (res.body as { status?: string }) : null;
}

export function rssMbOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Every secret of a run by name: the configured ones plus each Gusto token the proxy saw. */
export function secretsOfRun(proxy: RecordingProxy): Record<string, string> {
  const secrets: Record<string, string> = {
    admin_token: ADMIN_TOKEN,
    encryption_key: ENCRYPTION_KEY,
    acumatica_password: ACUMATICA_PASSWORD,
    acumatica_client_secret: ACUMATICA_CLIENT_SECRET,
    gusto_client_secret: GUSTO_CLIENT_SECRET,
    webhook_token: WEBHOOK_TOKEN,
  };
  [...proxy.tokens].forEach((t, i) => (secrets[`gusto_token_${i}`] = t));
  return secrets;
}

/** Ends a multi-instance run: every instance, then whatever else was started (proxies, sandboxes), then the data folder. */
export async function stopAll(
  instances: Array<{ stop(): Promise<unknown> } | undefined>,
  closers: Array<{ close(): Promise<unknown> } | undefined>,
  dataDir?: string,
): Promise<void> {
  for (const instance of instances) await instance?.stop().catch(() => undefined);
  for (const closer of closers) await closer?.close();
  if (dataDir) removeDir(dataDir);
}
