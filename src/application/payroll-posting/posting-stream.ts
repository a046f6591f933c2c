import { POSTING_EVENT_TYPES, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { evolve, initialState, type PayrollPosting } from '../../domain/payroll-posting/state';
import type { EventMetadata, EventStore } from '../ports/event-store.port';
import { CommandHandler, aggregateOf, type Aggregate, type Loaded } from '../shared/command-handler';

/** The posting stream as folded by the command handler (events of other types are skipped, not misread). */
export const postingAggregate: Aggregate<PayrollPosting, PayrollPostingEvent> = aggregateOf(
  initialState,
  evolve,
  POSTING_EVENT_TYPES,
);

export type LoadedPosting = Loaded<PayrollPosting>;
export type PostingHandler = CommandHandler<PayrollPosting, PayrollPostingEvent>;

/** Who caused the next events (metadata of every append). */
export interface Cause {
  correlationId?: string;
  causationId?: string;
  actor: string;
  /** The API key's name when `actor` is `key:<id>`. */
  actorName?: string;
}

export function metadataFor(cause: Cause, at: Date): EventMetadata {
  const metadata: EventMetadata = { at: at.toISOString(), actor: cause.actor };
  if (cause.actorName) metadata.actorName = cause.actorName;
  if (cause.correlationId) metadata.correlationId = cause.correlationId;
  if (cause.causationId) metadata.causationId = cause.causationId;
  return metadata;
}

/** The pipeline's own cause: the chain's correlation id (the first event's), caused by the stream's last event. */
export function systemCause(view: LoadedPosting): Cause {
  const first = view.events[0];
  const last = view.events[view.events.length - 1];
  return { actor: 'system', correlationId: first?.metadata.correlationId ?? first?.id, causationId: last?.id };
}

/** One read of a posting stream (tests, and processes that only look). */
export function loadPosting(store: EventStore, stream: string): Promise<LoadedPosting> {
  return new CommandHandler(store, postingAggregate, { maxAttempts: 1 }).load(stream);
}
