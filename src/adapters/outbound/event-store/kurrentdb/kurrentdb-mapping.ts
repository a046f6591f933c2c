/** Translation between the port's shapes and the KurrentDB client's: ids, events, filters, errors. */
import {
  AllStreamResolvedEvent,
  CancelledError,
  DeadlineExceededError,
  EventData,
  eventTypeFilter,
  excludeSystemEvents,
  Filter,
  jsonEvent,
  JSONType,
  NotLeaderError,
  ResolvedEvent,
  streamNameFilter,
  TimeoutError,
  UnavailableError,
} from '@kurrent/kurrentdb-client';
import { createHash } from 'node:crypto';
import {
  EventMetadata,
  EventStoreUnavailableError,
  RecordedEvent,
} from '../../../../application/ports/event-store.port';
import { IdentifiedEvent } from '../append-plan';
import { NormalizedFilter } from '../read-filter';
import { DeadlineError } from './deadline';

/**
 * KurrentDB event ids must be UUIDs; ours may be any string ("posting-123-journal-built"). A non-UUID id
 * becomes a name-based UUID (v5 layout over SHA-1 of stream + id), so a retry maps to the same UUID, and the
 * caller's id travels in metadata under this key, stripped again on read.
 */
export const ORIGINAL_ID_KEY = 'mlcEventId';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toKurrentId(stream: string, id: string): string {
  if (CANONICAL_UUID.test(id)) return id;
  const hash = createHash('sha1').update(`${stream}\u0000${id}`, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toEventData(stream: string, event: IdentifiedEvent): EventData {
  const kurrentId = toKurrentId(stream, event.id);
  const metadata: EventMetadata = { ...(event.metadata ?? {}) };
  if (kurrentId !== event.id) metadata[ORIGINAL_ID_KEY] = event.id;
  // The client JSON.stringifies data itself, so any JSON value (not only objects) round-trips.
  return jsonEvent({ id: kurrentId, type: event.type, data: event.data as JSONType, metadata: metadata as JSONType });
}

/** undefined for what the port never shows: link events without a target, system streams ($…). */
export function fromResolved(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$')) return undefined;
  const rawMetadata = event.metadata;
  const stored: EventMetadata =
    rawMetadata &&
    typeof rawMetadata === 'object' &&
    !Array.isArray(rawMetadata) &&
    !(rawMetadata instanceof Uint8Array)
      ? (rawMetadata as EventMetadata)
      : {};
  // Our own event id travels in the metadata (KurrentDB ids are per append); it is not part of what we return.
  const metadata = Object.fromEntries(
    Object.entries(stored).filter(([key]) => key !== ORIGINAL_ID_KEY),
  ) as EventMetadata;
  const originalId = stored[ORIGINAL_ID_KEY];
  const data = event.isJson ? (event.data as unknown) : Buffer.from(event.data as Uint8Array).toString('utf8');
  return {
    id: typeof originalId === 'string' ? originalId : event.id,
    type: event.type,
    data,
    metadata,
    stream: event.streamId,
    revision: event.revision,
    // Commit position: for ordinary appends (no explicit transactions) it is unique per event and is what
    // a read or subscription resumes from.
    position: event.position?.commit ?? resolved.commitPosition ?? -1n,
    recordedAt: event.created.toISOString(),
  };
}

/**
 * `$`-typed events (`$>` links, `$metadata`, `$statsCollected`, …) are the server's, wherever they sit: the
 * server-side prefix and type filters let them through in matching streams, so every filtered read and
 * subscription drops them here too.
 */
export function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.stream.startsWith('$');
}

/**
 * The server filters on one thing only (stream prefixes or event types); the other condition, and the
 * exact type match, are applied client-side by the caller with matchesFilter.
 */
export function toServerFilter(filter: NormalizedFilter): Filter {
  if (filter.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter.eventTypes) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}

/**
 * What `+discover` (gossip) raises when no node answers: a plain Error from Client/discovery.js
 * ("Failed to discover after 10 attempts."), or the native bridge's UnknownError carrying the same words.
 */
const DISCOVERY_FAILURE = /failed to discover|discovery failed|no (?:leader|node) (?:found|available)/i;

/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4), the client's wrappers of them, our own deadline, failed discovery. */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof DeadlineError ||
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 14 || code === 4) return true;
  return error instanceof Error && DISCOVERY_FAILURE.test(error.message);
}

export function translateError(error: unknown, description: string): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  return isUnavailable(error) ? new EventStoreUnavailableError(description, error) : error;
}
