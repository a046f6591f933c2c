import type { AxiosInstance, AxiosResponse, Method } from 'axios';
import { AcumaticaApiError } from '../../../application/ports/acumatica.port';
import { backoffMs } from '../../../application/shared/backoff';
import { LicencePacer, LicenceWaitExceeded } from './licence-pacer';
import { retryAfterMs, toAcumaticaError } from './errors';
import type { AcumaticaSession } from './session';

export interface AcumaticaRetryOptions {
  /** Attempts for 429/5xx/network failures before a retryable error is returned. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export interface AcumaticaRequest {
  method: Method;
  /** Relative to the endpoint (`JournalTransaction`) or absolute from the instance root (`/entity`). */
  path: string;
  params?: Record<string, string>;
  /** Already serialized JSON (the journal body is written by hand, see journal-body.ts). */
  body?: string;
  /** What the call was for, in error messages. */
  what: string;
  /** Part of a running action (its start, polls and re-read): not held back by it. */
  withinAction?: boolean;
  /** Epoch ms: the request leaves before then or not at all (AcumaticaApiError 'not_sent'). */
  sendBy?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one logical request for a connection: signs in, paces it within this instance's share of the
 * tenant's licence (concurrency and requests per minute, licence-pacer.ts), re-authenticates once
 * on 401, backs off with jitter on 429/5xx/network errors (honouring Retry-After), and turns the final
 * failure into an AcumaticaApiError that carries Acumatica's own message.
 */
export class AcumaticaHttp {
  constructor(
    private readonly http: AxiosInstance,
    private readonly pacer: LicencePacer,
    private readonly retry: AcumaticaRetryOptions,
  ) {}

  endpointUrl(session: AcumaticaSession, path: string): string {
    const { baseUrl, endpointName, endpointVersion } = session.settings;
    if (/^https?:\/\//.test(path)) return path;
    if (path.startsWith('/')) return `${baseUrl}${path}`;
    return `${baseUrl}/entity/${encodeURIComponent(endpointName)}/${encodeURIComponent(endpointVersion)}/${path}`;
  }

  async send(
    session: AcumaticaSession,
    request: AcumaticaRequest,
    accept: (status: number) => boolean = (s) => s >= 200 && s < 300,
  ): Promise<AxiosResponse> {
    const tenantKey = `${session.settings.baseUrl}|${session.settings.tenant}`;
    const idempotent = request.method.toUpperCase() === 'GET';
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let sent: Awaited<ReturnType<AcumaticaHttp['once']>>;
      try {
        sent = await this.once(session, request, tenantKey, !idempotent);
      } catch (error) {
        if (error instanceof LicenceWaitExceeded) throw error; // the caller decides when to try again
        // Sign-in itself was throttled or the identity server was down: same back-off as any request.
        if (
          !(error instanceof AcumaticaApiError) ||
          !error.retryable ||
          error.kind === 'not_sent' ||
          attempt >= this.retry.maxAttempts
        )
          throw error;
        await sleep(this.backoff(attempt, error.retryAfterMs));
        continue;
      }
      if (sent === 'network') {
        const where = this.endpointUrl(session, request.path).split('?')[0];
        // A lost answer to a PUT/POST may hide a committed write (a created batch): never resend it here.
        // The caller gets a retryable error and looks the record up before trying again.
        if (!idempotent)
          throw new AcumaticaApiError(
            'unavailable',
            `${request.what}: the connection to Acumatica failed before an answer (${where}); it may or may not have been applied`,
          );
        if (attempt >= this.retry.maxAttempts)
          throw new AcumaticaApiError(
            'unavailable',
            `${request.what}: Acumatica did not answer after ${attempt} attempts (${where})`,
          );
        await sleep(this.backoff(attempt));
        continue;
      }
      const { response, auth } = sent;
      if (accept(response.status)) return response;
      if (response.status === 401 && !reauthenticated) {
        reauthenticated = true; // one fresh sign-in; a second 401 means the credentials themselves are refused
        session.invalidate(auth);
        attempt--;
        continue;
      }
      const error = toAcumaticaError(request.what, response);
      // 429 means declined before processing (reference §6), so even a write may be resent; a 5xx may not.
      const safeToResend = idempotent || response.status === 429;
      if (!error.retryable || !safeToResend || attempt >= this.retry.maxAttempts) throw error;
      await sleep(this.backoff(attempt, retryAfterMs(response)));
    }
  }

  /**
   * The session's action lock first, then the licence: a request held back by a running release must not
   * sit on one of the tenant's licence slots, or the release's own requests could wait for it for ever.
   */
  private async once(
    session: AcumaticaSession,
    request: AcumaticaRequest,
    tenantKey: string,
    write: boolean,
  ): Promise<{ response: AxiosResponse; auth: Record<string, string> } | 'network'> {
    if (!request.withinAction) await session.enter();
    try {
      return await this.pacer.run(tenantKey, session.settings.licence, write, () => this.sendOnce(session, request));
    } finally {
      if (!request.withinAction) session.leave();
    }
  }

  private async sendOnce(
    session: AcumaticaSession,
    request: AcumaticaRequest,
  ): Promise<{ response: AxiosResponse; auth: Record<string, string> } | 'network'> {
    const auth = await session.headers();
    // Checked last thing before the bytes leave (after queueing for a slot and signing in), and again on every re-send.
    if (request.sendBy !== undefined && Date.now() > request.sendBy) {
      throw new AcumaticaApiError(
        'not_sent',
        `${request.what}: not sent, its time to leave (${new Date(request.sendBy).toISOString()}) had passed`,
      );
    }
    try {
      const response = await this.http.request({
        method: request.method,
        url: this.endpointUrl(session, request.path) + query(request.params),
        data: request.body,
        headers: {
          ...auth,
          Accept: 'application/json',
          ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        transformRequest: [(data: unknown) => data], // the body is already exact JSON text
      });
      return { response, auth };
    } catch {
      return 'network';
    }
  }

  /** The shared back-off (jittered: a throttled tenant is not helped by a synchronized retry wave). */
  private backoff(attempt: number, retryAfter?: number): number {
    return backoffMs(
      attempt,
      { baseMs: this.retry.backoffBaseMs, capMs: this.retry.backoffCapMs },
      Math.random,
      retryAfter,
    );
  }
}

/** Spaces as %20, not '+': an OData filter is not form data, and '+' in a datetimeoffset must stay a plus. */
function query(params: Record<string, string> | undefined): string {
  if (!params || Object.keys(params).length === 0) return '';
  return (
    '?' +
    Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&')
  );
}
