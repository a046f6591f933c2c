/**
 * Runs work for one key at a time, in arrival order, within this process. Different keys run in
 * parallel. Across processes the event store's expected revision is the guard; this only keeps one
 * instance from racing itself: two Acumatica lookups+creates for one payroll, or two webhooks for one new
 * hire that both look the employee up, find nothing and create two records.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once everything queued so far (for every key) has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  isBusy(key: string): boolean {
    return this.tails.has(key);
  }
}
