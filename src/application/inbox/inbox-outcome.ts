/** What the inbox dispatcher records for a handled event: one outcome event on the event's own inbox stream. */
import type { EventStore } from '../ports/event-store.port';
import { CONNECTOR_METRICS, type MetricsRegistry } from '../metrics/metrics.port';
import { eventTypeLabel } from './event-routing';
import { deterministicEventId, type GustoWebhookReceived, type InboxEventType } from './inbox-events';
import type { InboxLogger } from './inbox-logger';

/** What the dispatcher appends to the event's inbox stream, and the metric action it counts as. */
export interface Outcome {
  type: Exclude<InboxEventType, 'GustoWebhookReceived'>;
  action: 'ignored' | 'unknown_company' | 'dispatched' | 'failed';
  data: { at: string } & Record<string, unknown>;
}

export interface OutcomeNote {
  stream: string;
  /** The inbox stream's revision as read: if another instance settled the event meanwhile, theirs stands. */
  revision: bigint;
  received: GustoWebhookReceived;
  outcome: Outcome;
}

/** Appends the outcome (once: a deterministic id and the expected revision), then counts and logs it. */
export async function noteOutcome(
  store: EventStore,
  metrics: MetricsRegistry,
  logger: InboxLogger,
  { stream, revision, received, outcome }: OutcomeNote,
): Promise<void> {
  const { type, data, action } = outcome;
  const at = data.at;
  try {
    await store.append(
      stream,
      [
        {
          id: deterministicEventId('inbox-outcome', received.eventUuid),
          type,
          data,
          metadata: { correlationId: received.eventUuid, causationId: received.eventUuid, actor: 'system', at },
        },
      ],
      revision,
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'wrong_expected_revision') throw error;
    return;
  }
  metrics.counter(CONNECTOR_METRICS.inboxDispatch).inc({ event_type: eventTypeLabel(received.eventType), action });
  logger.info('inbox event handled', {
    eventUuid: received.eventUuid,
    eventType: received.eventType,
    outcome: type,
  });
}
