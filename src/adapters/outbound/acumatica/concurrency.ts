/**
 * A counting semaphore per Acumatica tenant: the licence caps concurrent API requests and queues the
 * rest server-side, so bursts only add latency and risk the "more than 20 queued" decline (reference §6).
 */
export class TenantLimiter {
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(private readonly perTenant: number) {}

  async run<T>(tenantKey: string, work: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(tenantKey) ?? { active: 0, waiting: [] };
    this.slots.set(tenantKey, slot);
    if (slot.active >= this.perTenant) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    try {
      return await work();
    } finally {
      const next = slot.waiting.shift();
      if (next) next(); // hand the slot over directly: active stays the same
      else slot.active--;
    }
  }
}
