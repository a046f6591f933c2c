import type { Request, Response } from 'express';
import type { JsonLogger } from '../../../logging/json-logger';
import type { MetricsRegistry } from '../../../../application/metrics/metrics.port';
import { ApiError } from '../api-error';

/** Requests refused at sign-in: `throttled="false"` a missing or wrong token (401), `"true"` refused unread past the limit (429). */
export const FAILED_SIGN_INS = {
  name: 'mlc_failed_sign_ins_total',
  help: 'Requests refused for a missing or wrong bearer token',
  labelNames: ['throttled'],
} as const;

/** Wrong tokens allowed per client address per minute before it is told to wait (429). */
const FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
/** Addresses remembered at most (oldest forgotten first): a flood of addresses cannot grow memory. */
const MAX_TRACKED = 10_000;

/**
 * Wrong admin tokens and API keys per client address, whether presented as a bearer token or at the
 * console's sign-in (one count for both). Past 10 a minute from one address: 429 with Retry-After, and the
 * refusals are logged (a few per minute, with the count, never the token).
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly logger?: JsonLogger,
    private readonly metrics?: MetricsRegistry,
  ) {}

  /** Throws 429 (setting Retry-After) while the address is over the limit. */
  check(req: Request, res: Response, now = Date.now()): void {
    const current = this.current(clientOf(req), now);
    if (current && current.count >= FAILURES_PER_MINUTE) {
      this.metrics?.counter(FAILED_SIGN_INS).inc({ throttled: 'true' });
      res.setHeader('Retry-After', String(Math.ceil((current.since + WINDOW_MS - now) / 1000)));
      throw new ApiError(
        429,
        'too_many_failed_sign_ins',
        'too many requests with a wrong admin token from this address; wait and try again',
      );
    }
  }

  recordFailure(req: Request, now = Date.now()): void {
    const client = clientOf(req);
    const current = this.current(client, now);
    const next = current ? { since: current.since, count: current.count + 1 } : { since: now, count: 1 };
    this.failures.delete(client);
    this.failures.set(client, next);
    this.metrics?.counter(FAILED_SIGN_INS).inc({ throttled: 'false' });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    // The first three of a minute, then the one that reaches the limit: enough to see a guessing run, not a flood of lines.
    if (next.count <= 3 || next.count === FAILURES_PER_MINUTE) {
      this.logger?.write(
        'warn',
        'admin API refused: missing or wrong bearer token',
        {
          client,
          path: req.originalUrl?.split('?')[0],
          failuresThisMinute: next.count,
          throttled: next.count >= FAILURES_PER_MINUTE,
        },
        'AdminAuth',
      );
    }
  }

  private current(client: string, now: number): { since: number; count: number } | undefined {
    const record = this.failures.get(client);
    return record && now - record.since < WINDOW_MS ? record : undefined;
  }
}

const clientOf = (req: Request): string => req.socket?.remoteAddress ?? 'unknown';
