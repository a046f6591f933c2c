/** Keys remembered at most (oldest window forgotten first): memory stays bounded whatever the traffic. */
const MAX_TRACKED = 10_000;

/**
 * Requests per API key per minute, in fixed one-minute windows, per instance (N instances allow N× the
 * figure: it bounds a runaway script, it is not a billing meter). `take` answers the seconds to wait when
 * the key is over its figure.
 */
export class KeyRateLimit {
  private readonly windows = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `key`; undefined when allowed, else the whole seconds until its window ends. */
  take(key: string): number | undefined {
    const now = this.now();
    const held = this.windows.get(key);
    const window = held && now - held.since < 60_000 ? held : { since: now, count: 0 };
    if (window.count >= this.perMinute) return Math.max(1, Math.ceil((window.since + 60_000 - now) / 1000));
    window.count++;
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > MAX_TRACKED) this.windows.delete(this.windows.keys().next().value as string);
    return undefined;
  }
}
