/**
 * One sync per employee at a time within this process, in arrival order: two webhooks for the same new
 * hire must not both look Acumatica up, find nothing and create two records. Across processes the
 * stream's expected revision is the guard (the loser re-reads and finds the record by EmployeeRefNbr).
 */
export class KeyedLock {
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
}

/**
 * Runs `work` over `items` with at most `limit` in flight: Acumatica's licence caps concurrent API
 * requests and declines beyond a queue of 20, so a 300-employee initial sync must not fire 300 at once.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
