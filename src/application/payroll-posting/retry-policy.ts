import { backoffMs } from '../shared/backoff';

/** A posting's retries: the one back-off rule (shared/backoff.ts) over these settings, at most maxAttempts. */
export interface RetrySettings {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
  /**
   * ACUMATICA_QUEUE_LIMIT_S in ms (default 600 000): the longest Acumatica may hold a create before carrying
   * it out. A create is not repeated until that long after it was sent (domain/payroll-posting/create-claim.ts).
   */
  queueLimitMs?: number;
  /** How long after its claim a create may still be sent (default: sendWindowFor(queueLimitMs)). */
  sendWindowMs?: number;
}

export const RETRY_SETTINGS = Symbol('RETRY_SETTINGS');

/** When the attempt after the `failures`-th failure is due. */
export const nextAttemptAt = (
  now: Date,
  failures: number,
  settings: RetrySettings,
  random?: () => number,
  retryAfterMs?: number,
): string => new Date(now.getTime() + backoffMs(failures, settings, random, retryAfterMs)).toISOString();
