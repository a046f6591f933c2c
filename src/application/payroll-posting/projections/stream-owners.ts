/**
 * The stream owners a projector knows in memory (see audit-owners.ts): a cache of those it learned or
 * looked up (cleared when full: the store keeps them all), and — in a bulk build's audit part — those it
 * learned but holds back to write later, sorted.
 *
 * Why hold them: the store keeps owners keyed by stream name, and stream names are random (a payroll's
 * uuid), so owners written with each batch land on as many pages of that table as there are owners in the
 * batch, and every commit writes those pages again; written sorted, many at a time, each page is written
 * about once per write. Measured at 100k postings: the owners were ~4 of the audit part's ~12 CPU-seconds.
 */
export type StreamOwner = { stream: string; connectionId: string };

/** Owners cached before the cache is cleared. */
const CACHE = 20_000;
/** Held owners written when this many are held (and at the end of the part), … */
export const HOLD = 200_000;
/** … this many per write transaction (the write lock is shared with the main thread's writers). */
export const OWNERS_PER_WRITE = 5_000;

export class StreamOwners {
  private readonly cache = new Map<string, string>();
  private readonly held = new Map<string, string>();

  /** `hold`: learned owners are held back (a bulk build's audit part); else each is written with its batch. */
  constructor(private readonly hold: boolean) {}

  get(stream: string): string | undefined {
    return this.held.get(stream) ?? this.cache.get(stream);
  }

  has(stream: string): boolean {
    return this.held.has(stream) || this.cache.has(stream);
  }

  /** Known from the store. */
  remember(stream: string, owner: string): void {
    if (this.cache.size >= CACHE) this.cache.clear();
    this.cache.set(stream, owner);
  }

  /** Learned from an event: returns it when it must be written with this batch, else holds it. */
  learn(stream: string, owner: string): StreamOwner | undefined {
    if (this.hold) {
      this.held.set(stream, owner);
      return undefined;
    }
    this.remember(stream, owner);
    return { stream, connectionId: owner };
  }

  /**
   * The held owners to write now, sorted by stream, in writes of OWNERS_PER_WRITE (none while fewer than
   * HOLD are held, unless `all`). They are known from the store afterwards: the caller writes them all.
   */
  due(all: boolean): StreamOwner[][] {
    if (this.held.size === 0 || (!all && this.held.size < HOLD)) return [];
    const sorted = [...this.held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.held.clear();
    const writes: StreamOwner[][] = [];
    for (let i = 0; i < sorted.length; i += OWNERS_PER_WRITE)
      writes.push(sorted.slice(i, i + OWNERS_PER_WRITE).map(([stream, connectionId]) => ({ stream, connectionId })));
    return writes;
  }
}
