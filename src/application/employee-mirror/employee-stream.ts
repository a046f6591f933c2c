import { EMPLOYEE_MIRROR_EVENT_TYPES, type EmployeeMirrorEvent } from '../../domain/employee-mirror/events';
import { fold, type EmployeeMirrorState } from '../../domain/employee-mirror/state';
import type { EventStore, ExpectedRevision, RecordedEvent } from '../ports/event-store.port';

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

export { toNewEvents } from '../shared/decided-events';
