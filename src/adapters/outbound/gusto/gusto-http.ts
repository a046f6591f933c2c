import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import { GustoApiError } from '../../../application/ports/gusto.port';
import { backoffMs, retryAfterMs } from '../../../application/shared/backoff';

export interface GustoHttpOptions {
  baseUrl: string;
  apiVersion: string;
  /** Overrides every call kind's timeout (tests); see GUSTO_CALL_LIMITS. */
  timeoutMs?: number;
  /** Attempts per GET before a 429/5xx/network failure is handed to the caller as a retryable error. */
  maxAttempts?: number;
  /** Back-off base for 5xx and for a 429 without Retry-After; doubles per attempt, with jitter. */
  backoffBaseMs?: number;
  /** A Retry-After longer than this is not waited out here: the caller gets rate_limited with retryAfterMs. */
  maxRetryAfterMs?: number;
  /** `per` on paged reads: 100 (Gusto's cap, fewest calls) unless GUSTO_PAGE_SIZE says otherwise. */
  pageSize?: number;
}

const MiB = 1024 * 1024;

/**
 * What one Gusto answer may cost, per kind of call: a payroll page with its employee_compensations may be
 * large (10 MiB), anything else is small (1 MiB). Past the cap the socket is closed as the bytes arrive (the
 * answer is never held whole) and the call fails `too_large`; past the timeout it fails `timeout`.
 */
export const GUSTO_CALL_LIMITS = {
  compensation_page: { maxBytes: 10 * MiB, timeoutMs: 60_000 },
  list_page: { maxBytes: 1 * MiB, timeoutMs: 30_000 },
  single: { maxBytes: 1 * MiB, timeoutMs: 15_000 },
  token: { maxBytes: 1 * MiB, timeoutMs: 15_000 },
} as const;
export type GustoCallKind = keyof typeof GUSTO_CALL_LIMITS;

/** A payroll read (`/payrolls/<uuid>`) carries compensations; other plural paths are list pages. */
export function callKindOf(path: string): GustoCallKind {
  if (path === '/oauth/token') return 'token';
  if (/\/payrolls\/[^/]+$/.test(path)) return 'compensation_page';
  if (/\/(payrolls|employees|companies|events|webhook_subscriptions)$/.test(path)) return 'list_page';
  return 'single';
}

/** Axios request settings for a call kind: its size cap and timeout (no redirects followed: Gusto sends none). */
export function limitsOf(
  kind: GustoCallKind,
  options: Pick<GustoHttpOptions, 'timeoutMs'>,
): { maxContentLength: number; timeout: number; maxRedirects: number } {
  const limits = GUSTO_CALL_LIMITS[kind];
  return { maxContentLength: limits.maxBytes, timeout: options.timeoutMs ?? limits.timeoutMs, maxRedirects: 0 };
}

/** True for axios's "maxContentLength size of N exceeded". */
export const isTooLarge = (error: unknown): boolean =>
  /maxContentLength/.test((error as { message?: string })?.message ?? '');

/**
 * The connector is read-only towards Gusto: the client itself refuses any non-GET on a /v1 path before a
 * byte is sent, so no bug elsewhere can change a customer's payroll. (/oauth/token is the one POST.)
 */
export function createGustoAxios(options: GustoHttpOptions): AxiosInstance {
  const http = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs ?? GUSTO_CALL_LIMITS.list_page.timeoutMs,
    maxContentLength: GUSTO_CALL_LIMITS.compensation_page.maxBytes,
    maxRedirects: 0,
    headers: { 'X-Gusto-API-Version': options.apiVersion, Accept: 'application/json' },
    validateStatus: () => true, // statuses are mapped to typed errors below, never thrown raw by axios
  });
  http.interceptors.request.use((config) => {
    const method = (config.method ?? 'get').toLowerCase();
    const path = new URL(config.url ?? '', 'http://x').pathname;
    if (path.startsWith('/v1') && method !== 'get') {
      throw new GustoApiError(
        'bad_request',
        `refused ${method.toUpperCase()} ${path}: the connector only reads from Gusto`,
      );
    }
    return config;
  });
  return http;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Gusto's own words from `{errors:[{message}]}` or OAuth's `{error, error_description}`. */
export function gustoMessage(response: AxiosResponse): string {
  const body = response.data as
    { errors?: Array<{ message?: string; category?: string }>; error?: string; error_description?: string } | undefined;
  const parts = body?.errors?.map((e) => [e.category, e.message].filter(Boolean).join(': ')).filter(Boolean) ?? [];
  if (parts.length) return parts.join('; ');
  if (body?.error) return [body.error, body.error_description].filter(Boolean).join(': ');
  return `HTTP ${response.status}`;
}

/** Describes a transport failure without the request config (which holds the bearer token). */
export const transportMessage = (error: unknown): string => {
  const e = error as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(' ') || 'network error';
};

export type Send = (
  method: Method,
  path: string,
  params: Record<string, unknown> | undefined,
  headers: Record<string, string>,
) => Promise<AxiosResponse>;

/**
 * One GET with bounded retries: 429 waits Retry-After (or backs off), 5xx and network errors back off.
 * Other statuses (401 included) are returned for the caller to interpret.
 */
export async function getWithRetry(
  http: AxiosInstance,
  path: string,
  params: Record<string, unknown> | undefined,
  headers: Record<string, string>,
  options: GustoHttpOptions,
): Promise<AxiosResponse> {
  const maxAttempts = options.maxAttempts ?? 5;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const backoff = { baseMs: options.backoffBaseMs ?? 250, capMs: maxRetryAfter };
  for (let attempt = 1; ; attempt++) {
    let response: AxiosResponse;
    try {
      response = await http.get(path, { params, headers, ...limitsOf(callKindOf(path), options) });
    } catch (error) {
      if (error instanceof GustoApiError) throw error;
      if (isTooLarge(error)) {
        const cap = GUSTO_CALL_LIMITS[callKindOf(path)].maxBytes / MiB;
        throw new GustoApiError(
          'too_large',
          `GET ${path}: Gusto's answer was larger than ${cap} MiB; the read was stopped`,
        );
      }
      const timeout = (error as { code?: string }).code === 'ECONNABORTED';
      if (attempt >= maxAttempts)
        throw new GustoApiError(timeout ? 'timeout' : 'unavailable', `GET ${path}: ${transportMessage(error)}`);
      await sleep(backoffMs(attempt, backoff));
      continue;
    }
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers['retry-after']);
      if (attempt >= maxAttempts || (wait !== undefined && wait > maxRetryAfter)) {
        throw new GustoApiError(
          'rate_limited',
          `GET ${path}: Gusto rate limit (429) after ${attempt} attempts`,
          429,
          wait,
        );
      }
      await sleep(backoffMs(attempt, backoff, Math.random, wait));
      continue;
    }
    if (response.status >= 500) {
      if (attempt >= maxAttempts)
        throw new GustoApiError('unavailable', `GET ${path}: ${gustoMessage(response)}`, response.status);
      await sleep(backoffMs(attempt, backoff));
      continue;
    }
    return response;
  }
}

export function errorFor(path: string, response: AxiosResponse): GustoApiError {
  const message = `GET ${path}: ${gustoMessage(response)}`;
  switch (response.status) {
    case 404:
      return new GustoApiError('not_found', message, 404);
    case 406:
      return new GustoApiError('invalid_api_version', message, 406);
    default:
      return new GustoApiError('bad_request', message, response.status);
  }
}
