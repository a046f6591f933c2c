import { DEFAULT_MAX_CONCURRENT, type LicenceLimits } from './licence-limits';

/**
 * How the instances of the connector split one Acumatica tenant's licence. Each instance records a
 * heartbeat in the tenant's coordination stream every `intervalMs` while it uses the tenant; an instance
 * counts as live until `lapseMs` after its last heartbeat; each live instance takes an equal share.
 *
 * Why the numbers are safe (no more than R per minute together):
 *  - A request's charge is held from its start until one window after its answer (the pacer), so the server,
 *    which counts it from its arrival, has always dropped it before the instance spends it again.
 *  - A dead or idle instance stopped sending at most one interval after its last heartbeat and its charges
 *    are gone one window later: `lapseMs = windowMs + 2 × intervalMs` keeps its share reserved that long.
 *  - A newcomer that finds live peers waits `windowMs + intervalMs` before its first request: the peers see
 *    its heartbeat within one interval and their older charges are gone one window after that.
 */

export const LICENCE_HEARTBEAT = 'LicenceInstanceHeartbeat' as const;

export interface LicenceHeartbeatData extends LicenceLimits {
  instanceId: string;
  /** ISO 8601, the instance's clock when it recorded the heartbeat. */
  at: string;
}

export type LicenceEvent = { type: typeof LICENCE_HEARTBEAT; data: LicenceHeartbeatData };

export interface LicenceTiming {
  /** The licence's minute (60,000 ms; shorter in tests and benchmarks whose sandbox clock runs faster). */
  windowMs: number;
  intervalMs: number;
  lapseMs: number;
  /** What a newcomer waits before its first request when it finds live peers. */
  joinWaitMs: number;
}

export function licenceTiming(windowMs: number): LicenceTiming {
  const intervalMs = Math.max(20, Math.round(windowMs / 12));
  return { windowMs, intervalMs, lapseMs: windowMs + 2 * intervalMs, joinWaitMs: windowMs + intervalMs };
}

/** The other instances whose last heartbeat is younger than the lapse, at `now` (ms). */
export function livePeers(events: readonly LicenceEvent[], self: string, now: number, timing: LicenceTiming): string[] {
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.type !== LICENCE_HEARTBEAT) continue;
    const at = Date.parse(e.data.at);
    if (Number.isFinite(at) && at > (last.get(e.data.instanceId) ?? -Infinity)) last.set(e.data.instanceId, at);
  }
  return [...last]
    .filter(([id, at]) => id !== self && at > now - timing.lapseMs)
    .map(([id]) => id)
    .sort();
}

export interface LicenceShare {
  /** Instances sharing the tenant, this one included. */
  instances: number;
  /** Requests this instance may have charged within one window; undefined = not paced per minute. */
  requestsPerWindow?: number;
  maxConcurrent: number;
}

/**
 * An equal share, rounded down so the shares never add up to more than the licence — except that each
 * instance keeps at least 1 (with more instances than requests per minute or cores, the total can exceed it).
 */
export function shareOf(limits: LicenceLimits | undefined, instances: number): LicenceShare {
  const n = Math.max(1, instances);
  const rpm = limits?.requestsPerMinute;
  return {
    instances: n,
    ...(rpm !== undefined ? { requestsPerWindow: Math.max(1, Math.floor(rpm / n)) } : {}),
    maxConcurrent: Math.max(1, Math.floor((limits?.maxConcurrent ?? DEFAULT_MAX_CONCURRENT) / n)),
  };
}

/**
 * How long a (re)joining instance waits before its first request. None when it is alone, or when its own
 * previous heartbeat is still counted by every peer until they will have seen the new one.
 */
export function joinWaitMs(
  peers: readonly string[],
  previousHeartbeatAt: number | undefined,
  now: number,
  timing: LicenceTiming,
): number {
  if (peers.length === 0) return 0;
  if (previousHeartbeatAt !== undefined && previousHeartbeatAt + timing.lapseMs > now + timing.intervalMs) return 0;
  return timing.joinWaitMs;
}
