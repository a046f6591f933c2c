/**
 * A port subscription over the client's catch-up subscription to $all. Events are pulled one at a time
 * with `for await` (the handler is awaited, which also back-pressures the gRPC stream).
 *
 * onLive: the server's `caughtUp` message arrives in order after every event it has already sent, and those
 * may still sit in the readable buffer; so "live" is declared only once everything pulled or buffered at that
 * moment has been handled. Servers older than 23.10 do not send `caughtUp`; there onLive never fires.
 */
import { AllStreamSubscription, KurrentDBClient, START } from '@kurrent/kurrentdb-client';
import { RecordedEvent, SubscribeOptions, Subscription } from '../../../../application/ports/event-store.port';
import { isInsideHandlerOf, runHandler } from '../handler-context';
import { matchesFilter, normalizeFilter } from '../read-filter';
import { fromResolved, toServerFilter, translateError } from './kurrentdb-mapping';

export function subscribeKurrent(
  client: KurrentDBClient,
  description: string,
  handler: (event: RecordedEvent) => Promise<void> | void,
  options: SubscribeOptions,
): Subscription {
  const filter = normalizeFilter(options.filter);
  const from = options.fromPosition;
  let stopped = false;
  let pulled = 0;
  let settled = 0;
  let liveTarget: number | undefined;
  let live = false;

  const source: AllStreamSubscription = client.subscribeToAll({
    // Subscribing from a position delivers events strictly after it; the client-side check below makes that
    // independent of the server version.
    fromPosition: from === undefined ? START : { commit: from, prepare: from },
    filter: toServerFilter(filter),
  });

  const maybeLive = (): void => {
    if (!live && liveTarget !== undefined && settled >= liveTarget) {
      live = true;
      options.onLive?.();
    }
  };
  source.on('caughtUp', () => {
    liveTarget = pulled + source.readableLength;
    maybeLive();
  });

  const subscription: Subscription = {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await source.unsubscribe().catch(() => undefined);
      source.destroy();
      if (!isInsideHandlerOf(subscription)) await running;
    },
  };

  const loop = async (): Promise<void> => {
    for await (const resolved of source) {
      pulled += 1;
      if (stopped) return;
      const event = fromResolved(resolved);
      if (event && (from === undefined || event.position > from) && matchesFilter(filter, event.stream, event.type)) {
        await runHandler(subscription, () => handler(event));
      }
      settled += 1;
      maybeLive();
    }
  };

  const running: Promise<void> = loop().catch((error: unknown) => {
    if (stopped) return; // cancellation noise after stop()
    stopped = true;
    source.destroy();
    const translated = translateError(error, description);
    const asError = translated instanceof Error ? translated : new Error(String(translated));
    if (options.onError) options.onError(asError);
    else console.error(`event store subscription stopped: ${asError.message}`);
  });
  return subscription;
}
