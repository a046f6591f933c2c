import { createHash } from 'node:crypto';
import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { fold, initialState, type PayrollPosting } from '../../domain/payroll-posting/state';
import type { EventMetadata, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../ports/event-store.port';

export interface LoadedPosting {
  stream: string;
  state: PayrollPosting;
  /** What to pass as `expected` on the next append: 'no_stream' or the last revision. */
  expected: ExpectedRevision;
  events: RecordedEvent[];
}

export async function loadPosting(store: EventStore, stream: string): Promise<LoadedPosting> {
  const events = await store.readStream(stream);
  const domain = events.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[];
  const last = events[events.length - 1];
  return { stream, state: fold(domain, initialState), expected: last ? last.revision : 'no_stream', events };
}

/**
 * Name-based (v5-style) uuid from the stream, the revision the event will occupy, its type and its data.
 * A re-run that makes the same decision at the same place (e.g. after the append's response was lost)
 * produces the same id, which the store treats as an idempotent repeat; a different decision gets a
 * different id and so loses the optimistic-concurrency race instead of hiding in it.
 */
export function eventId(stream: string, revision: bigint, event: PayrollPostingEvent): string {
  const h = createHash('sha1').update(`${stream}\n${revision}\n${event.type}\n${JSON.stringify(event.data)}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toNewEvents(loaded: LoadedPosting, events: PayrollPostingEvent[], metadata: EventMetadata): NewEvent[] {
  const first = loaded.expected === 'no_stream' ? 0n : BigInt(loaded.expected as bigint) + 1n;
  return events.map((event, i) => ({
    id: eventId(loaded.stream, first + BigInt(i), event),
    type: event.type,
    // JSON round trip drops `undefined` fields so stored data is exactly what a reader gets back.
    data: JSON.parse(JSON.stringify(event.data)),
    metadata,
  }));
}
