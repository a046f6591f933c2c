/** The port's ReadAllFilter as a predicate, shared so both adapters filter exactly alike. */
import { ReadAllFilter } from '../../../application/ports/event-store.port';

export interface NormalizedFilter {
  /** undefined = any stream. */
  streamPrefixes?: readonly string[];
  /** undefined = any type. */
  eventTypes?: ReadonlySet<string>;
}

/** An empty list means "no constraint" (see the port), so it normalizes to undefined. */
export function normalizeFilter(filter: ReadAllFilter | undefined): NormalizedFilter {
  const prefixes = filter?.streamPrefixes?.length ? [...filter.streamPrefixes] : undefined;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : undefined;
  return { streamPrefixes: prefixes, eventTypes: types };
}

export function matchesFilter(filter: NormalizedFilter, stream: string, type: string): boolean {
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => stream.startsWith(prefix))) return false;
  if (filter.eventTypes && !filter.eventTypes.has(type)) return false;
  return true;
}

/** maxCount: undefined = unbounded; anything else must be a positive safe integer. */
export function normalizeMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0)
    throw new RangeError(`maxCount must be an integer >= 0, got ${maxCount}`);
  return maxCount;
}
