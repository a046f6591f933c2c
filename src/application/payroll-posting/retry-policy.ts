/** Capped exponential back-off with jitter; Retry-After, when the server sent one, is honoured as a floor. */
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

/**
 * Delay before the attempt after the `failures`-th failure. "Equal jitter": half the exponential delay is
 * fixed, half random, so instances that failed together do not retry together yet never retry early.
 */
export function backoffMs(failures: number, settings: RetrySettings, random: () => number = Math.random, retryAfterMs?: number): number {
  const exponential = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(settings.capMs, Math.max(retryAfterMs, jittered)) : jittered;
}

export const nextAttemptAt = (now: Date, failures: number, settings: RetrySettings, random?: () => number, retryAfterMs?: number): string =>
  new Date(now.getTime() + backoffMs(failures, settings, random, retryAfterMs)).toISOString();
