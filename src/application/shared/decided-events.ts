import { createHash } from 'node:crypto';
import type { EventMetadata, ExpectedRevision, NewEvent } from '../ports/event-store.port';

/**
 * Name-based (v5-style) uuid from the stream, the revision the event will occupy, its type and its data.
 * A re-run that makes the same decision at the same place (e.g. after the append's response was lost)
 * produces the same id, which the store treats as an idempotent repeat; a different decision gets a
 * different id and so loses the optimistic-concurrency race instead of hiding in it.
 */
export function decidedEventId(stream: string, revision: bigint, event: { type: string; data: unknown }): string {
  const h = createHash('sha1').update(`${stream}\n${revision}\n${event.type}\n${JSON.stringify(event.data)}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A decider's events as the store takes them, with ids fixed by where they will land in the loaded stream. */
export function toNewEvents(
  loaded: { stream: string; expected: ExpectedRevision },
  events: ReadonlyArray<{ type: string; data: unknown }>,
  metadata: EventMetadata,
): NewEvent[] {
  const first = loaded.expected === 'no_stream' ? 0n : BigInt(loaded.expected as bigint) + 1n;
  return events.map((event, i) => ({
    id: decidedEventId(loaded.stream, first + BigInt(i), event),
    type: event.type,
    // JSON round trip drops `undefined` fields so the stored data is exactly what a reader gets back.
    data: JSON.parse(JSON.stringify(event.data)),
    metadata,
  }));
}
