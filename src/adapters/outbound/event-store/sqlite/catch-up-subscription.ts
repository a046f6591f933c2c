/**
 * The SQLite catch-up subscription: read a page after the checkpoint, hand events to the handler one at a
 * time (awaited), and when a page comes back short, the subscription is live — wait for a wake-up (this
 * process) or the poll interval (other processes) and read again.
 *
 * No gap: positions are allocated inside the IMMEDIATE write transaction that commits them, so commit order
 * equals position order and a reader never sees position n+1 while n is still uncommitted. No repeat: the
 * next read is strictly after the last delivered position.
 */
import { RecordedEvent, Subscription, SubscribeOptions } from '../../../../application/ports/event-store.port';
import { isInsideHandlerOf, runHandler } from '../handler-context';
import { changeVersion, waitForChange } from './change-notifier';

export interface CatchUpSource {
  /** The channel key shared with appenders (the resolved file path). */
  readonly channelKey: string;
  readonly pollIntervalMs: number;
  readonly pageSize: number;
  /** Up to `limit` matching events strictly after `position`, in position order. */
  readPage(position: bigint, limit: number): RecordedEvent[];
  /** The last position in the store (any stream), or undefined when empty. */
  headPosition(): bigint | undefined;
}

export function startCatchUpSubscription(
  source: CatchUpSource,
  handler: (event: RecordedEvent) => Promise<void> | void,
  options: SubscribeOptions,
  onFinished: (subscription: Subscription) => void,
): Subscription {
  const abort = new AbortController();
  let checkpoint = options.fromPosition ?? 0n;
  let live = false;

  const fail = (error: unknown): void => {
    const asError = error instanceof Error ? error : new Error(String(error));
    if (options.onError) options.onError(asError);
    // Without an onError the failure would vanish; one line on stderr is better than silence.
    else console.error(`event store subscription stopped: ${asError.message}`);
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      const version = changeVersion(source.channelKey);
      // Read before the page: every matching event up to `head` is in a short page, so the next read may
      // start at `head` — a sparse filter then never rescans the same non-matching events.
      const head = source.headPosition();
      const page = source.readPage(checkpoint, source.pageSize);
      for (const event of page) {
        if (abort.signal.aborted) return;
        await runHandler(subscription, () => handler(event));
        checkpoint = event.position;
      }
      // Yield to the event loop between pages: a long catch-up must not starve HTTP (/health) or delay
      // a SIGTERM (stop() aborts, and the abort is seen at the next event).
      if (page.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (page.length < source.pageSize) {
        if (!abort.signal.aborted && head !== undefined && head > checkpoint) checkpoint = head;
        if (!live) {
          live = true;
          options.onLive?.();
        }
        await waitForChange(source.channelKey, version, source.pollIntervalMs, abort.signal);
      }
    }
  };

  const subscription: Subscription = {
    stop: async () => {
      abort.abort();
      if (!isInsideHandlerOf(subscription)) await running;
    },
  };
  // Start on the next tick so the caller holds the Subscription before the first event arrives.
  const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(loop)
    .catch((error: unknown) => {
      if (!abort.signal.aborted) fail(error);
      abort.abort();
    })
    .finally(() => onFinished(subscription));
  return subscription;
}
