/** Capped exponential back-off with jitter; Retry-After, when the server sent one, is honoured as a floor. */
export interface RetrySettings {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
  /** How long a create claim keeps other runs from creating (default 60 s). */
  claimLeaseMs?: number;
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
