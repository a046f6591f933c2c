/**
 * The backfill poll's watermark, `poll-watermark-<connectionId>`: one `PollWatermarkAdvanced` per completed
 * poll and day; only the last event is ever read.
 */
import type { EventStore } from '../ports/event-store.port';
import { deterministicEventId, pollWatermarkStream } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import type { PollTrigger, RequestedBy } from './poll-summary';

export interface PollWatermarkAdvanced {
  /** The date the poll started (UTC): the next poll lists from here minus the overlap. */
  through: string;
  polledAt: string;
  trigger: PollTrigger;
  requested: number;
}

/** The date the last completed poll ran through; undefined before the first. */
export async function pollWatermarkOf(store: EventStore, connectionId: string): Promise<string | undefined> {
  const last = await store.readLastEvent(pollWatermarkStream(connectionId));
  return last ? (last.data as PollWatermarkAdvanced).through : undefined;
}

/** Stores the watermark; a failure is logged, not thrown (the next poll re-reads a longer window). */
export async function advancePollWatermark(
  store: EventStore,
  logger: InboxLogger,
  connectionId: string,
  data: PollWatermarkAdvanced,
  requestedBy?: RequestedBy,
): Promise<void> {
  // One event per completed poll and day is enough: a second poll the same day leaves the date unchanged.
  const id = deterministicEventId('poll-watermark', connectionId, data.through);
  await store
    .append(
      pollWatermarkStream(connectionId),
      [
        {
          id,
          type: 'PollWatermarkAdvanced',
          data,
          metadata: {
            actor: requestedBy?.id ?? 'poll',
            ...(requestedBy?.name ? { actorName: requestedBy.name } : {}),
            at: data.polledAt,
          },
        },
      ],
      'any',
    )
    .catch((error: unknown) => {
      logger.warn('could not store the poll watermark; the next poll re-reads a longer window', {
        connectionId,
        error: (error as Error).message,
      });
    });
}
