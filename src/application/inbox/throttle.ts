/**
 * At most `limit` passes per `windowMs`: unauthenticated requests can arrive at any rate, and neither
 * the log nor the event store should grow at the rate an attacker chooses.
 */
export class Throttle {
  private windowStart = -Infinity;
  private used = 0;
  private dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** True when this occurrence may be acted on; `suppressed` then says how many were dropped before it. */
  pass(): { ok: boolean; suppressed: number } {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.used = 0;
    }
    if (this.used >= this.limit) {
      this.dropped++;
      return { ok: false, suppressed: 0 };
    }
    this.used++;
    const suppressed = this.dropped;
    this.dropped = 0;
    return { ok: true, suppressed };
  }
}
