import pLimit from 'p-limit';

interface Lane {
  limit: pLimit.Limit;
  /** Work submitted and not yet settled; the lane is dropped at 0, so idle keys cost nothing. */
  open: number;
  last: Promise<unknown>;
}

/**
 * Runs work for one key at a time, in arrival order, within this process (a `p-limit(1)` per key, deleted
 * when idle). Different keys run in parallel. Across processes the event store's expected revision is the
 * guard; this only keeps one instance from racing itself: two Acumatica lookups+creates for one payroll, or
 * two webhooks for one new hire that both look the employee up, find nothing and create two records.
 * A failed piece of work does not stop the next one for its key.
 */
export class KeyedSerializer {
  private readonly lanes = new Map<string, Lane>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { limit: pLimit(1), open: 0, last: Promise.resolve() }));
    const current = lane;
    current.open += 1;
    const result = current.limit(work);
    const settle = (): void => {
      current.open -= 1;
      if (current.open === 0 && this.lanes.get(key) === current) this.lanes.delete(key);
    };
    current.last = result.then(settle, settle);
    return result;
  }

  /** Resolves once everything queued so far (for every key) has finished. */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all([...this.lanes.values()].map((lane) => lane.last));
  }

  isBusy(key: string): boolean {
    return this.lanes.has(key);
  }
}
