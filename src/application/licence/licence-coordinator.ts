import { createHash } from 'node:crypto';
import { isConfigured, type LicenceLimits } from '../../domain/licence/licence-limits';
import {
  joinWaitMs,
  LICENCE_HEARTBEAT,
  livePeers,
  shareOf,
  type LicenceEvent,
  type LicenceShare,
  type LicenceTiming,
} from '../../domain/licence/licence-share';
import type { EventStore } from '../ports/event-store.port';
import type { LicenceGrant, LicenceShares } from '../ports/licence.port';

/** `acumatica-licence-<16 hex of SHA-256(baseUrl|tenant)>`: one small stream per tenant, shared by every instance. */
export const licenceStream = (tenantKey: string): string =>
  `acumatica-licence-${createHash('sha256').update(tenantKey).digest('hex').slice(0, 16)}`;

/** Heartbeats read per look at the stream; doubled while the oldest read is still live (many instances). */
const FIRST_READ = 64;
const MAX_READ = 4096;

interface Tenant {
  limits: LicenceLimits;
  stream: string;
  joined: boolean;
  notBefore: number;
  share: LicenceShare;
  lastUse: number;
  lastHeartbeatAt?: number;
  timer?: NodeJS.Timeout;
  ticking?: Promise<void>;
}

export interface LicenceCoordinatorOptions {
  instanceId: string;
  now?: () => number;
  /** false in tests that drive `tick` themselves. */
  timers?: boolean;
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Shares each configured Acumatica licence between the instances through the event store (the only thing
 * they share): while this instance uses a tenant it records a heartbeat every interval and reads the
 * stream's tail to count the live instances; its share is R / live instances (domain/licence). A tenant
 * unused for a whole window stops its heartbeats. Tenants without licence settings are not coordinated.
 */
export class LicenceCoordinator implements LicenceShares {
  private readonly tenants = new Map<string, Tenant>();
  private readonly listeners: Array<(tenantKey: string) => void> = [];
  private readonly now: () => number;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    readonly timing: LicenceTiming,
    private readonly options: LicenceCoordinatorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get windowMs(): number {
    return this.timing.windowMs;
  }

  onChange(listener: (tenantKey: string) => void): void {
    this.listeners.push(listener);
  }

  shareFor(tenantKey: string, limits: LicenceLimits | undefined): LicenceGrant {
    if (!isConfigured(limits)) return { ...shareOf(undefined, 1), notBefore: 0 };
    const now = this.now();
    let tenant = this.tenants.get(tenantKey);
    if (!tenant) {
      tenant = {
        limits,
        stream: licenceStream(tenantKey),
        joined: false,
        notBefore: Infinity,
        share: shareOf(limits, 1),
        lastUse: now,
      };
      this.tenants.set(tenantKey, tenant);
    }
    tenant.lastUse = now;
    if (!sameLimits(tenant.limits, limits)) {
      tenant.limits = limits; // the latest connection settings seen for the tenant win
      tenant.share = shareOf(limits, tenant.share.instances);
    }
    if (!tenant.joined && !tenant.timer && !tenant.ticking && !this.closed) void this.tick(tenantKey); // (re)join
    return { ...tenant.share, notBefore: tenant.joined ? tenant.notBefore : Infinity };
  }

  /** One heartbeat and one look at the peers. Runs on the tenant's timer; tests call it directly. */
  tick(tenantKey: string): Promise<void> {
    const tenant = this.tenants.get(tenantKey);
    if (!tenant) return Promise.resolve();
    if (!tenant.ticking) {
      tenant.ticking = this.beat(tenantKey, tenant).finally(() => (tenant.ticking = undefined));
    }
    return tenant.ticking;
  }

  close(): void {
    this.closed = true;
    for (const tenant of this.tenants.values()) this.stopTimer(tenant);
  }

  private async beat(tenantKey: string, tenant: Tenant): Promise<void> {
    const started = this.now();
    if (tenant.joined && started - tenant.lastUse > this.timing.windowMs) {
      // Idle for a whole window: stop announcing; the peers take the share back after the lapse.
      tenant.joined = false;
      this.stopTimer(tenant);
      return;
    }
    try {
      const at = new Date(started).toISOString();
      const event: LicenceEvent = {
        type: LICENCE_HEARTBEAT,
        data: { instanceId: this.options.instanceId, at, ...tenant.limits },
      };
      await this.store.append(tenant.stream, [{ ...event, metadata: { actor: 'system', at } }], 'any');
      const peers = livePeers(await this.recent(tenant.stream), this.options.instanceId, this.now(), this.timing);
      const now = this.now();
      if (!tenant.joined) {
        tenant.notBefore = now + joinWaitMs(peers, tenant.lastHeartbeatAt, now, this.timing);
        tenant.joined = true;
      }
      tenant.lastHeartbeatAt = started;
      tenant.share = shareOf(tenant.limits, peers.length + 1);
    } catch (error) {
      // Keep the last share; a tenant that never joined keeps waiting. The next interval tries again.
      this.options.warn?.('licence heartbeat failed', { stream: tenant.stream, error: (error as Error).message });
    }
    if (!tenant.timer && !this.closed && this.options.timers !== false) {
      tenant.timer = setInterval(() => void this.tick(tenantKey), this.timing.intervalMs);
      tenant.timer.unref();
    }
    for (const listener of this.listeners) listener(tenantKey);
  }

  /** The stream's tail: enough heartbeats to include every live instance's latest. */
  private async recent(stream: string): Promise<LicenceEvent[]> {
    for (let count = FIRST_READ; ; count *= 2) {
      const events = (await this.store.readLastEvents(stream, count)) as unknown as LicenceEvent[];
      const oldest = events[0];
      const oldestAt = oldest ? Date.parse(oldest.data.at) : -Infinity;
      if (events.length < count || count >= MAX_READ || !(oldestAt > this.now() - this.timing.lapseMs)) return events;
    }
  }

  private stopTimer(tenant: Tenant): void {
    if (tenant.timer) clearInterval(tenant.timer);
    tenant.timer = undefined;
  }
}

const sameLimits = (a: LicenceLimits, b: LicenceLimits): boolean =>
  a.requestsPerMinute === b.requestsPerMinute && a.maxConcurrent === b.maxConcurrent;
