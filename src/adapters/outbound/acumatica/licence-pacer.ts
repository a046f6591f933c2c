import { AcumaticaApiError } from '../../../application/ports/acumatica.port';
import type { LicenceShares } from '../../../application/ports/licence.port';
import type { LicenceLimits } from '../../../domain/licence/licence-limits';
import { required } from '../../../domain/shared/required';

/** Refused before anything was sent: the caller (a posting) retries later, after a fresh lookup. */
export class LicenceWaitExceeded extends AcumaticaApiError {
  constructor(waitedMs: number) {
    super(
      'rate_limited',
      `held back ${waitedMs} ms by the Acumatica licence's request budget; nothing was sent`,
      undefined,
      waitedMs,
    );
  }
}

interface Waiter {
  limits: LicenceLimits | undefined;
  write: boolean;
  admit: () => void;
  refuse: (error: Error) => void;
  timeout?: NodeJS.Timeout;
}

interface Tenant {
  inFlight: number;
  /** When each finished request stops counting against the window (ascending). */
  charges: number[];
  waiting: Waiter[];
  wake?: NodeJS.Timeout;
  wakeAt?: number;
}

/**
 * Client-side pacing per Acumatica tenant (key: baseUrl|tenant), first come first served:
 *  - at most `maxConcurrent` requests in flight (this instance's share of the licence's cores);
 *  - at most `requestsPerWindow` requests charged per window, where a request is charged from the moment
 *    it is sent until one whole window after its answer. Acumatica counts it from its arrival, which lies
 *    in between, so by the time the charge lapses the server has dropped it too: a licence that refuses
 *    over its limit is never pushed over by this instance's share, whatever the latency.
 * Writes go before reads (a create follows its claim, which has a lease), and a write that still cannot go
 * within `maxWriteWaitMs` fails with a retryable `rate_limited` error before anything is sent, so a posting
 * never holds its create claim through a long backlog; the posting retries after a fresh lookup. Reads
 * wait as long as it takes.
 * No sliding-window library fitted: p-queue and bottleneck count fixed intervals (a burst at an interval's
 * edge doubles the rate in a sliding minute), take no per-request end times and cannot take a share that
 * changes as instances come and go.
 */
export class LicencePacer {
  private readonly tenants = new Map<string, Tenant>();

  constructor(
    private readonly shares: LicenceShares,
    private readonly maxWriteWaitMs: number,
    private readonly now: () => number = Date.now,
  ) {
    shares.onChange((key) => this.pump(key));
  }

  async run<T>(
    tenantKey: string,
    limits: LicenceLimits | undefined,
    write: boolean,
    work: () => Promise<T>,
  ): Promise<T> {
    await this.acquire(tenantKey, limits, write);
    const tenant = required(this.tenants.get(tenantKey), 'the licence tenant just acquired');
    try {
      return await work();
    } finally {
      tenant.inFlight--;
      if (this.shares.shareFor(tenantKey, limits).requestsPerWindow !== undefined)
        insertSorted(tenant.charges, this.now() + this.shares.windowMs);
      this.pump(tenantKey);
    }
  }

  private acquire(tenantKey: string, limits: LicenceLimits | undefined, write: boolean): Promise<void> {
    let tenant = this.tenants.get(tenantKey);
    if (!tenant) {
      tenant = { inFlight: 0, charges: [], waiting: [] };
      this.tenants.set(tenantKey, tenant);
    }
    const owner = tenant;
    return new Promise<void>((admit, refuse) => {
      const waiter: Waiter = { limits, write, admit, refuse };
      if (write) {
        waiter.timeout = setTimeout(() => {
          const index = owner.waiting.indexOf(waiter);
          if (index < 0) return;
          owner.waiting.splice(index, 1);
          refuse(new LicenceWaitExceeded(this.maxWriteWaitMs));
          this.pump(tenantKey);
        }, this.maxWriteWaitMs);
        const firstRead = owner.waiting.findIndex((w) => !w.write);
        owner.waiting.splice(firstRead < 0 ? owner.waiting.length : firstRead, 0, waiter);
      } else owner.waiting.push(waiter);
      this.pump(tenantKey);
    });
  }

  /** Admits waiters in order while the share allows; otherwise wakes up when the next charge lapses. */
  private pump(tenantKey: string): void {
    const tenant = this.tenants.get(tenantKey);
    if (!tenant) return;
    for (;;) {
      const head = tenant.waiting[0];
      if (!head) return;
      const now = this.now();
      while (tenant.charges.length > 0 && tenant.charges[0] <= now) tenant.charges.shift();
      const share = this.shares.shareFor(tenantKey, head.limits);
      const charged = tenant.inFlight + tenant.charges.length;
      let until: number | undefined; // when to look again; undefined = on a release or a share change
      if (now < share.notBefore) until = Number.isFinite(share.notBefore) ? share.notBefore : undefined;
      else if (tenant.inFlight >= share.maxConcurrent) until = undefined;
      else if (share.requestsPerWindow !== undefined && charged >= share.requestsPerWindow) {
        // Lapsed charges free room; charges held by requests in flight free it on release.
        const excess = charged - share.requestsPerWindow;
        until = excess < tenant.charges.length ? tenant.charges[excess] : undefined;
      } else {
        tenant.waiting.shift();
        clearTimeout(head.timeout);
        tenant.inFlight++;
        head.admit();
        continue;
      }
      if (until !== undefined) this.wakeAt(tenantKey, tenant, until);
      return;
    }
  }

  private wakeAt(tenantKey: string, tenant: Tenant, at: number): void {
    if (tenant.wake && tenant.wakeAt !== undefined && tenant.wakeAt <= at) return;
    if (tenant.wake) clearTimeout(tenant.wake);
    tenant.wakeAt = at;
    tenant.wake = setTimeout(
      () => {
        tenant.wake = undefined;
        tenant.wakeAt = undefined;
        this.pump(tenantKey);
      },
      Math.max(0, at - this.now()),
    );
    tenant.wake.unref();
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}
