import { createHash } from 'node:crypto';
import { EMPLOYEE_MIRROR_EVENT_TYPES, type EmployeeMirrorEvent } from '../../domain/employee-mirror/events';
import { fold, type EmployeeMirrorState } from '../../domain/employee-mirror/state';
import type { EventMetadata, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../ports/event-store.port';

export interface LoadedMirror {
  stream: string;
  state: EmployeeMirrorState;
  /** What to pass as `expected` on the next append. */
  expected: ExpectedRevision;
  events: RecordedEvent[];
}

const KNOWN: ReadonlySet<string> = new Set(EMPLOYEE_MIRROR_EVENT_TYPES);

/** The stream's domain events (anything else a future version wrote is skipped, not misread). */
export const domainEvents = (recorded: readonly RecordedEvent[]): EmployeeMirrorEvent[] =>
  recorded.filter((e) => KNOWN.has(e.type)).map((e) => ({ type: e.type, data: e.data }) as EmployeeMirrorEvent);

export async function loadMirror(store: EventStore, stream: string): Promise<LoadedMirror> {
  const events = await store.readStream(stream);
  const last = events[events.length - 1];
  return { stream, state: fold(domainEvents(events)), expected: last ? last.revision : 'no_stream', events };
}

/**
 * Name-based id from the stream, the revision the event will occupy, its type and data: a re-run that
 * makes the same decision at the same place is an idempotent repeat in the store, a different decision
 * loses the optimistic-concurrency race instead of hiding in it.
 */
function eventId(stream: string, revision: bigint, event: EmployeeMirrorEvent): string {
  const h = createHash('sha1').update(`${stream}\n${revision}\n${event.type}\n${JSON.stringify(event.data)}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toNewEvents(loaded: LoadedMirror, events: readonly EmployeeMirrorEvent[], metadata: EventMetadata): NewEvent[] {
  const first = loaded.expected === 'no_stream' ? 0n : BigInt(loaded.expected as bigint) + 1n;
  return events.map((event, i) => ({
    id: eventId(loaded.stream, first + BigInt(i), event),
    type: event.type,
    // JSON round trip drops `undefined` fields so the stored data is exactly what a reader gets back.
    data: JSON.parse(JSON.stringify(event.data)),
    metadata,
  }));
}
