import { CONNECTION_STREAM_PREFIX } from '../../../domain/connection/events';
import { STREAM_PREFIX } from '../../../domain/payroll-posting/events';
import type { RecordedEvent } from '../../ports/event-store.port';

/**
 * Which connections an event belongs to in the audit trail: its stream is the connection's
 * (`connection-<id>`) or one of its posting / employee streams (`payroll-posting-<id>-…`,
 * `employee-mirror-<id>-…`), or its data or metadata names the connection (`connectionId`).
 *
 * A posting or employee stream's name cannot be split safely (ids may contain '-'), so its owner is
 * learned from the first event that names a connection matching the name's prefix, and remembered.
 */
export const OWNED_PREFIXES = [STREAM_PREFIX, 'employee-mirror-'] as const;

export const ownedPrefixOf = (stream: string): string | undefined => OWNED_PREFIXES.find((p) => stream.startsWith(p));

const named = (event: RecordedEvent): string[] => {
  const out: string[] = [];
  const data = event.data as { connectionId?: unknown } | null;
  if (typeof data === 'object' && data !== null && typeof data.connectionId === 'string') out.push(data.connectionId);
  if (typeof event.metadata.connectionId === 'string') out.push(event.metadata.connectionId);
  return out;
};

/** The owner this event teaches for its stream, if any. */
export function learnedOwner(event: RecordedEvent): string | undefined {
  const prefix = ownedPrefixOf(event.stream);
  if (!prefix) return undefined;
  return named(event).find((id) => event.stream.startsWith(`${prefix}${id}-`));
}

/** Every connection the event belongs to; `owner` is its stream's owner when already known. */
export function connectionsOf(event: RecordedEvent, owner: string | undefined): string[] {
  const ids = new Set<string>(named(event));
  if (event.stream.startsWith(CONNECTION_STREAM_PREFIX)) ids.add(event.stream.slice(CONNECTION_STREAM_PREFIX.length));
  if (owner) ids.add(owner);
  return [...ids];
}

/** metadata.at, else the store's time, in ms (NaN-safe: an unreadable time sorts as 0). */
export function timeOf(event: RecordedEvent): number {
  const at = typeof event.metadata.at === 'string' ? Date.parse(event.metadata.at) : NaN;
  const ms = Number.isNaN(at) ? Date.parse(event.recordedAt) : at;
  return Number.isNaN(ms) ? 0 : ms;
}
