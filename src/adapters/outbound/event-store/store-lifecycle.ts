/**
 * What both event store adapters do the same around their I/O: refuse calls once closed, keep their live
 * subscriptions to stop them at close, and check `readLastEvents`' count.
 */
import { EventStoreUnavailableError, type Subscription } from '../../../application/ports/event-store.port';

export class StoreLifecycle {
  /** The live subscriptions, stopped (handlers awaited) by `close`. */
  readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly description: string) {}

  /** Throws EventStoreUnavailableError once the store is closed. */
  assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError(this.description, new Error('the store is closed'));
  }

  /**
   * Marks the store closed, runs `before` (e.g. settle accepted appends), stops the subscriptions (waiting for
   * running handlers), then `release` (the adapter's own resources). Idempotent: a second call does nothing.
   */
  async close(release: () => Promise<void> | void, before: () => void = () => undefined): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    before();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await release();
  }
}

/** `readLastEvents`' count: a non-negative safe integer. */
export function assertEventCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
}
