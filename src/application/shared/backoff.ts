/**
 * The one back-off rule of the connector, for every retry: a posting's next attempt (a durable timer), the
 * Gusto and Acumatica clients' in-call retries, the event store's reconnects and append races.
 * Capped exponential with "equal jitter": half the step is fixed, half random, so workers that failed together
 * do not retry together, yet none retries early. A server's `Retry-After` is a floor (still capped).
 */
export interface BackoffSettings {
  /** The first step, in ms; it doubles with each further attempt. */
  baseMs: number;
  /** No delay is longer than this, Retry-After included. */
  capMs: number;
}

/** Delay before the retry that follows the `attempt`-th failure (1 = the first failure). */
export function backoffMs(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const step = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  return retryAfterMs !== undefined && retryAfterMs > 0
    ? Math.min(settings.capMs, Math.max(retryAfterMs, jittered))
    : jittered;
}

/** An HTTP `Retry-After` (delta-seconds or an HTTP date) in ms from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, nowMs: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}
