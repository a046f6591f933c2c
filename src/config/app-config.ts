import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CronTime } from 'cron';
import { required } from '../domain/shared/required';

/** The service's configuration, read once from the environment at start (see README "Configuration"). */
export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  port: number;
  nodeEnv: string;
  production: boolean;
  /** `sqlite:<path>` or an EventStoreDB/KurrentDB connection string. */
  eventStoreUrl: string;
  /** Folder for the embedded store, read models and (outside production) the generated key. */
  dataDir: string;
  /**
   * MLC_READ_MODEL_PATH: the SQLite file of the persistent read models. Unset: the embedded store's own
   * file (sqlite:), else `<dataDir>/read-models.db` (one per instance with KurrentDB).
   */
  readModelPath?: string;
  /** 32-byte AES-256-GCM key that seals every stored credential. */
  encryptionKey: Buffer;
  /** Short fingerprint of the key, recorded with each sealed secret so keys can rotate. */
  encryptionKeyId: string;
  /** Previous keys, still accepted for opening sealed secrets (MLC_ENCRYPTION_KEYS_PREVIOUS). */
  previousEncryptionKeys: Array<{ id: string; key: Buffer }>;
  adminToken: string;
  /** True when the admin token was generated for this run (it is then printed once). */
  adminTokenGenerated: boolean;
  gusto: {
    clientId?: string;
    clientSecret?: string;
    redirectUri: string;
    webhookVerificationToken?: string;
    apiBaseUrl: string;
    apiVersion: string;
    /** `per` on Gusto's paged reads (1–100; 100 = fewest calls). */
    pageSize: number;
  };
  pollCron: string;
  retry: { baseMs: number; capMs: number; maxAttempts: number };
  /** The Acumatica licence's "minute" for client-side pacing (ACUMATICA_LICENCE_WINDOW_MS): 60,000 but in tests and benchmarks with a faster sandbox clock. */
  acumaticaLicenceWindowMs: number;
  /**
   * ACUMATICA_QUEUE_LIMIT_S: the longest the customer's Acumatica may hold a request in its licence queue
   * before carrying it out. A journal create is never repeated until that long after it was sent.
   */
  acumaticaQueueLimitS: number;
  /** Host names a connection's Acumatica URL may name even though they are (or resolve to) internal addresses. */
  acumaticaAllowedHosts: string[];
  /** MLC_CONSOLE_DIR: the built web console served at /console (default `dist/console` in the package). */
  consoleDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The HTTP edge (README "Running it for customers"). */
  http: HttpEdgeSettings;
  /** Notes for the operator produced while loading (e.g. a generated key), logged at start. */
  warnings: string[];
}

export interface HttpEdgeSettings {
  /** HOST: the interface to bind (unset: every interface). */
  host?: string;
  /** /docs served: always outside production, in production only with MLC_DOCS=1. */
  docs: boolean;
  /** MLC_HEADERS_TIMEOUT_MS: a request's headers must arrive within this (default 20 s). */
  headersTimeoutMs: number;
  /** MLC_BODY_TIMEOUT_MS: a request's body must arrive within this after its headers (default 30 s); else 408 and closed. */
  bodyTimeoutMs: number;
  /** MLC_KEY_REQUESTS_PER_MINUTE: requests an API key may make to /api per minute (default 600); past it 429 with Retry-After. */
  keyRequestsPerMinute: number;
  /** MLC_METRICS_PUBLIC: /metrics without a key (v1). Default: public outside production, behind a key in production. */
  metricsPublic: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export const keyIdOf = (key: Buffer): string => 'k' + createHash('sha256').update(key).digest('hex').slice(0, 12);

type Env = Record<string, string | undefined>;

const nonEmpty = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function decodeKey(name: string, raw: string): Buffer {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.replace(/=+$/, '')) {
    throw new ConfigError(name, 'must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)');
  }
  return key;
}

function eventStoreUrl(env: Env): string {
  const raw = nonEmpty(env, 'EVENT_STORE_URL') ?? 'sqlite:data/ml-connector.db';
  if (/^sqlite:.+/.test(raw) || /^(esdb|kurrentdb|kdb)(\+discover)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    'EVENT_STORE_URL',
    `must be sqlite:<path> or an esdb:// / kurrentdb:// connection string, got "${raw.replace(/\/\/[^@/]*@/, '//***@')}"`,
  );
}

function dataDirOf(env: Env, storeUrl: string): string {
  const explicit = nonEmpty(env, 'MLC_DATA_DIR');
  if (explicit) return resolve(explicit);
  if (storeUrl.startsWith('sqlite:')) return resolve(dirname(storeUrl.slice('sqlite:'.length)));
  return resolve('data');
}

/** Outside production a missing key is generated once into the data folder, so restarts can still open sealed secrets. */
function encryptionKey(env: Env, production: boolean, dataDir: string, warnings: string[]): Buffer {
  const raw = nonEmpty(env, 'MLC_ENCRYPTION_KEY');
  if (raw) return decodeKey('MLC_ENCRYPTION_KEY', raw);
  if (production) throw new ConfigError('MLC_ENCRYPTION_KEY', 'is required when NODE_ENV=production');
  const file = join(dataDir, 'encryption.key');
  if (existsSync(file)) return decodeKey(`MLC_ENCRYPTION_KEY (from ${file})`, readFileSync(file, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  warnings.push(
    `MLC_ENCRYPTION_KEY is not set: generated a key into ${file}. Keep that file with the data, or set MLC_ENCRYPTION_KEY.`,
  );
  return key;
}

/** The folder holding package.json, from src/config (ts) or dist/src/config (built) alike. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function logLevel(env: Env): AppConfig['logLevel'] {
  const raw = nonEmpty(env, 'LOG_LEVEL') ?? 'info';
  if (raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error') return raw;
  throw new ConfigError('LOG_LEVEL', `must be one of debug, info, warn, error, got "${raw}"`);
}

/** Reads and validates the environment. A bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const warnings: string[] = [];
  const nodeEnv = nonEmpty(env, 'NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const storeUrl = eventStoreUrl(env);
  const dataDir = dataDirOf(env, storeUrl);
  const key = encryptionKey(env, production, dataDir, warnings);
  const previous = (nonEmpty(env, 'MLC_ENCRYPTION_KEYS_PREVIOUS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      const k = decodeKey('MLC_ENCRYPTION_KEYS_PREVIOUS', raw);
      return { id: keyIdOf(k), key: k };
    });

  let adminToken = nonEmpty(env, 'MLC_ADMIN_TOKEN');
  const adminTokenGenerated = adminToken === undefined;
  if (adminToken === undefined) {
    if (production) throw new ConfigError('MLC_ADMIN_TOKEN', 'is required when NODE_ENV=production');
    adminToken = randomBytes(24).toString('base64url');
  } else if (adminToken.length < 16) {
    throw new ConfigError('MLC_ADMIN_TOKEN', 'must be at least 16 characters');
  }

  const apiVersion = nonEmpty(env, 'GUSTO_API_VERSION') ?? '2026-06-15';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(apiVersion))
    throw new ConfigError('GUSTO_API_VERSION', `must be a date like 2026-06-15, got "${apiVersion}"`);

  const pollCron = nonEmpty(env, 'POLL_CRON') ?? '*/15 * * * *';
  try {
    new CronTime(pollCron);
  } catch (error) {
    throw new ConfigError('POLL_CRON', `is not a valid cron expression ("${pollCron}"): ${(error as Error).message}`);
  }

  // The webhook signing key: in production never learnt from a request (see WebhookKeyring).
  const webhookVerificationToken = nonEmpty(env, 'GUSTO_WEBHOOK_VERIFICATION_TOKEN');
  if (production && webhookVerificationToken === undefined) {
    throw new ConfigError(
      'GUSTO_WEBHOOK_VERIFICATION_TOKEN',
      "is required when NODE_ENV=production (the key Gusto signs webhooks with: the subscription's verification token)",
    );
  }

  const redirect = nonEmpty(env, 'GUSTO_REDIRECT_URI') ?? `http://localhost:${port}/oauth/gusto/callback`;
  return {
    port,
    nodeEnv,
    production,
    eventStoreUrl: storeUrl,
    dataDir,
    ...(nonEmpty(env, 'MLC_READ_MODEL_PATH')
      ? { readModelPath: resolve(required(nonEmpty(env, 'MLC_READ_MODEL_PATH'), 'MLC_READ_MODEL_PATH')) }
      : {}),
    encryptionKey: key,
    encryptionKeyId: keyIdOf(key),
    previousEncryptionKeys: previous,
    adminToken,
    adminTokenGenerated,
    gusto: {
      clientId: nonEmpty(env, 'GUSTO_CLIENT_ID'),
      clientSecret: nonEmpty(env, 'GUSTO_CLIENT_SECRET'),
      redirectUri: httpUrl('GUSTO_REDIRECT_URI', redirect),
      webhookVerificationToken,
      apiBaseUrl: httpUrl('GUSTO_API_BASE_URL', nonEmpty(env, 'GUSTO_API_BASE_URL') ?? 'https://api.gusto-demo.com'),
      apiVersion,
      pageSize: intVar(env, 'GUSTO_PAGE_SIZE', 100, 1, 100),
    },
    pollCron,
    retry: {
      baseMs: intVar(env, 'RETRY_BASE_MS', 2000, 1, 3_600_000),
      capMs: intVar(env, 'RETRY_CAP_MS', 900_000, 1, 86_400_000),
      maxAttempts: intVar(env, 'RETRY_MAX_ATTEMPTS', 10, 1, 1000),
    },
    acumaticaLicenceWindowMs: intVar(env, 'ACUMATICA_LICENCE_WINDOW_MS', 60_000, 100, 3_600_000),
    acumaticaQueueLimitS: intVar(env, 'ACUMATICA_QUEUE_LIMIT_S', 600, 1, 86_400),
    acumaticaAllowedHosts: (nonEmpty(env, 'MLC_ACUMATICA_ALLOWED_HOSTS') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    consoleDir: resolve(nonEmpty(env, 'MLC_CONSOLE_DIR') ?? join(packageRoot(), 'dist', 'console')),
    logLevel: logLevel(env),
    http: {
      ...(nonEmpty(env, 'HOST') ? { host: nonEmpty(env, 'HOST') } : {}),
      docs: !production || nonEmpty(env, 'MLC_DOCS') === '1',
      headersTimeoutMs: intVar(env, 'MLC_HEADERS_TIMEOUT_MS', 20_000, 100, 600_000),
      bodyTimeoutMs: intVar(env, 'MLC_BODY_TIMEOUT_MS', 30_000, 100, 600_000),
      keyRequestsPerMinute: intVar(env, 'MLC_KEY_REQUESTS_PER_MINUTE', 600, 1, 1_000_000),
      metricsPublic: (nonEmpty(env, 'MLC_METRICS_PUBLIC') ?? (production ? '0' : '1')) === '1',
    },
    warnings,
  };
}

/** The secret values of a config, so the logger can scrub them wherever they appear. */
export const secretsOf = (config: AppConfig): string[] =>
  [
    config.adminToken,
    config.encryptionKey.toString('base64'),
    config.gusto.clientSecret,
    config.gusto.webhookVerificationToken,
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
