/**
 * A port subscription over the client's catch-up subscription to $all. Events are pulled one at a time
 * with `for await` (the handler is awaited, which also back-pressures the gRPC stream).
 *
 * Re-subscribing: the client does not. When the server restarts or the leader changes, its stream fails
 * (UNAVAILABLE, CANCELLED, NotLeader, …) or simply ends; a read model fed by it would freeze without a word.
 * So the subscription opens a new one from the position of the last event it pulled (delivered, or skipped
 * by the client-side filter), after a back-off that doubles from `delays.min` to `delays.max` and resets once
 * events or `caughtUp` flow again. Events at or before that position are dropped, so nothing is repeated.
 * Only a handler that throws, or an error retrying cannot fix (access denied, bad arguments, …), ends it
 * through onError.
 *
 * onLive: the server's `caughtUp` message arrives in order after every event it has already sent, and those
 * may still sit in the readable buffer; so "live" is declared only once everything pulled or buffered at that
 * moment has been handled. It fires once, even across re-subscriptions. Servers older than 23.10 do not send
 * `caughtUp`; there onLive never fires.
 */
import { AllStreamSubscription, KurrentDBClient, START, UnknownError } from '@kurrent/kurrentdb-client';
import { RecordedEvent, SubscribeOptions, Subscription } from '../../../../application/ports/event-store.port';
import { backoffMs } from '../../../../application/shared/backoff';
import { isInsideHandlerOf, runHandler } from '../handler-context';
import { matchesFilter, normalizeFilter } from '../read-filter';
import { fromResolved, isSystemEvent, isUnavailable, toServerFilter, translateError } from './kurrentdb-mapping';

/** The handler's own failure, kept apart from the transport's. */
class HandlerFailed {
  constructor(readonly error: unknown) {}
}

class StreamEnded extends Error {
  constructor() {
    super('the server ended the subscription');
    this.name = 'StreamEnded';
  }
}

/** Worth a new subscription: the transport went away (restart, leader change, network), not a refusal. */
function isTransient(error: unknown): boolean {
  return error instanceof StreamEnded || error instanceof UnknownError || isUnavailable(error);
}

export function subscribeKurrent(
  client: KurrentDBClient,
  description: string,
  handler: (event: RecordedEvent) => Promise<void> | void,
  options: SubscribeOptions,
  delays: { min: number; max: number } = { min: 100, max: 5000 },
): Subscription {
  const filter = normalizeFilter(options.filter);
  let resumeAfter: bigint | undefined = options.fromPosition;
  let stopped = false;
  let pulled = 0;
  let settled = 0;
  let liveTarget: number | undefined;
  let live = false;
  let source: AllStreamSubscription | undefined;
  let wake: (() => void) | undefined;

  const maybeLive = (): void => {
    if (!live && liveTarget !== undefined && settled >= liveTarget) {
      live = true;
      options.onLive?.();
    }
  };

  const subscription: Subscription = {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      wake?.();
      const current = source;
      if (current) {
        await current.unsubscribe().catch(() => undefined);
        current.destroy();
      }
      if (!isInsideHandlerOf(subscription)) await running;
    },
  };

  /** One subscription, until it fails or ends. Resolves only when stopped. */
  const consume = async (onProgress: () => void): Promise<void> => {
    const current = client.subscribeToAll({
      // Subscribing from a position delivers events strictly after it; the check below makes that
      // independent of the server version.
      fromPosition: resumeAfter === undefined ? START : { commit: resumeAfter, prepare: resumeAfter },
      filter: toServerFilter(filter),
    });
    source = current;
    liveTarget = undefined; // what an earlier stream had buffered is gone
    current.on('caughtUp', () => {
      onProgress();
      liveTarget = pulled + current.readableLength;
      maybeLive();
    });
    try {
      for await (const resolved of current) {
        pulled += 1;
        if (stopped) return;
        onProgress();
        const event = fromResolved(resolved);
        if (event && (resumeAfter === undefined || event.position > resumeAfter)) {
          if (!isSystemEvent(event) && matchesFilter(filter, event.stream, event.type)) {
            try {
              await runHandler(subscription, () => handler(event));
            } catch (error) {
              throw new HandlerFailed(error);
            }
          }
          resumeAfter = event.position;
        }
        settled += 1;
        maybeLive();
      }
    } finally {
      current.destroy();
    }
    if (!stopped) throw new StreamEnded();
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      try {
        await consume(() => (failures = 0));
        return;
      } catch (error) {
        if (stopped) return; // cancellation noise after stop()
        if (error instanceof HandlerFailed || !isTransient(error)) throw error;
        failures += 1;
        const delay = backoffMs(failures, { baseMs: delays.min, capMs: delays.max });
        if (failures === 1) {
          const reason = error instanceof Error ? error.message : String(error);
          console.warn(
            `event store subscription on ${description} dropped (${reason}); re-subscribing from ${resumeAfter ?? 'the start'}`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  const running: Promise<void> = run().catch((failure: unknown) => {
    if (stopped) return;
    stopped = true;
    const error = failure instanceof HandlerFailed ? failure.error : failure;
    const translated = translateError(error, description);
    const asError = translated instanceof Error ? translated : new Error(String(translated));
    if (options.onError) options.onError(asError);
    else console.error(`event store subscription stopped: ${asError.message}`);
  });
  return subscription;
}
