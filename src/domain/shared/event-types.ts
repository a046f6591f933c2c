/**
 * The types of an event union as a runtime list (to read a stream's own events, to filter a
 * subscription), written once per aggregate and checked complete by the compiler: leaving a type out
 * is a compile error naming it, so a new event cannot be forgotten here.
 *
 *   export const POLL_LEASE_EVENT_TYPES = eventTypes<PollLeaseEvent>()(['PollLeaseClaimed', …]);
 */
type Missing<E extends { type: string }, L extends readonly string[]> = Exclude<E['type'], L[number]>;

export function eventTypes<E extends { type: string }>() {
  return <const L extends readonly E['type'][]>(
    list: L & ([Missing<E, L>] extends [never] ? unknown : { missingEventTypes: Missing<E, L> }),
  ): readonly E['type'][] => list;
}

/** A guard for the events of one union, by their type. */
export function isEventOf<E extends { type: string }>(types: readonly E['type'][]): (e: { type: string }) => e is E {
  const known = new Set<string>(types);
  return (e): e is E => known.has(e.type);
}
