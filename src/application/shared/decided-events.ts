import { createHash } from 'node:crypto';

/**
 * Name-based (v5-style) uuid from the stream, the revision the event will occupy, its type and its data.
 * A re-run that makes the same decision at the same place (e.g. after the append's response was lost)
 * produces the same id, which the store treats as an idempotent repeat; a different decision gets a
 * different id and so loses the optimistic-concurrency race instead of hiding in it.
 */
export function decidedEventId(stream: string, revision: bigint, event: { type: string; data: unknown }): string {
  const h = createHash('sha1')
    .update(`${stream}\n${revision}\n${event.type}\n${JSON.stringify(event.data)}`)
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
