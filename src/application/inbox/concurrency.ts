/** At most `permits` holders at once; the rest wait in arrival order. */
export class Semaphore {
  private readonly waiters: Array<() => void> = [];
  private held = 0;

  constructor(private readonly permits: number) {}

  acquire(): Promise<void> {
    if (this.held < this.permits) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the permit straight to the next waiter, if any. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held--;
  }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
