/**
 * The event store: the connector's memory and the auditors' trail.
 * Two adapters implement it (embedded SQLite, KurrentDB); one contract suite pins both.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * What a stream must look like for an append to go through. A number (or bigint) is the revision of the last
 * event: a non-negative safe integer (anything else is a RangeError; spell "no events yet" 'no_stream').
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint | number;

export interface EventMetadata {
  /** The chain of work this event belongs to (a webhook, a poll, an operator's request). */
  correlationId?: string;
  /** The id of the event or request that directly caused this one. */
  causationId?: string;
  /** Who acted: 'webhook', 'poll', 'operator', 'system', … */
  actor?: string;
  /** When the domain says it happened (ISO 8601), passed in — never read from a clock inside the domain. */
  at?: string;
  [key: string]: unknown;
}

/** An event as the caller proposes it. `id` may be deterministic: re-appending the same id to a stream stores it once. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  id?: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as the store returns it. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  stream: string;
  /** 0-based position within its stream. */
  revision: bigint;
  /** Global, strictly increasing across all streams. Comparable within one store only. */
  position: bigint;
  /** ISO 8601, stamped by the store. */
  recordedAt: string;
}

export interface AppendResult {
  /**
   * The revision of the last event this append wrote (what to pass as `expected` next time). For an
   * idempotent repeat: the revision of the batch's last event as first stored (the stream may have moved on).
   */
  nextExpectedRevision: bigint;
  /** Global position of the last event written (or found, when the append was an idempotent repeat). */
  position: bigint;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong_expected_revision' as const;
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'event_store_unavailable' as const;
  constructor(
    readonly store: string,
    cause?: unknown,
  ) {
    super(`event store ${store} is unreachable${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'EventStoreUnavailableError';
  }
}

/** Both conditions must hold. An empty list is the same as leaving it out (no constraint). */
export interface ReadAllFilter {
  /** Only streams whose name starts with one of these prefixes (case-sensitive). */
  streamPrefixes?: string[];
  /** Only these event types (exact match). */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  filter?: ReadAllFilter;
  /** At most this many events (default: all). */
  maxCount?: number;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler is running. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; undefined = from the start. */
  fromPosition?: bigint;
  filter?: ReadAllFilter;
  /** Called once every event recorded before the call has been delivered (the catch-up turned live). */
  onLive?: () => void;
  /** Called when delivery fails for good (the handler threw, or the store went away). */
  onError?: (error: Error) => void;
}

export interface EventStore {
  /**
   * Appends atomically (all events or none). Events without an id get a random UUID. The rule, in order:
   *  1. `events` must be non-empty with distinct ids (else TypeError).
   *  2. Every id already in the stream, at consecutive revisions in the same order → idempotent repeat:
   *     nothing is written, success whatever `expected` says (a retry after a crash is safe).
   *  3. Every id already in the stream but not in that shape → WrongExpectedRevisionError.
   *  4. Otherwise ids already in the stream are skipped, `expected` is checked against the stream's current
   *     last revision (WrongExpectedRevisionError if it does not hold), and the rest are written.
   * Throws EventStoreUnavailableError when the store cannot be reached (or stays locked past its timeout).
   */
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream from `fromRevision` (inclusive, default 0). Empty array for a missing stream. */
  readStream(stream: string, fromRevision?: bigint): Promise<RecordedEvent[]>;
  /**
   * The last event of one stream (highest revision), or undefined for a missing stream. Costs one event
   * whatever the stream's length: for small state kept as "the latest event wins" (a lease, a watermark),
   * whose streams grow by one event per use and must not be read whole.
   */
  readLastEvent(stream: string): Promise<RecordedEvent | undefined>;
  /** Events of all streams after `fromPosition` (exclusive; undefined = from the start), in global order. */
  readAll(fromPosition?: bigint, options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * A catch-up subscription: delivers every event after `fromPosition` in global order, one at a time
   * (the handler is awaited), then keeps delivering new events as they are appended. The caller stores
   * the position of the last handled event as its checkpoint.
   */
  subscribeToAll(handler: (event: RecordedEvent) => Promise<void> | void, options?: SubscribeOptions): Subscription;
  /**
   * The position of the last event in the store (undefined when it is empty). A reader that reads with a
   * filter from its checkpoint may advance the checkpoint to the head it saw BEFORE that read, so sparse
   * filtered reads (e.g. a few connection events among many posting events) do not rescan the same log.
   */
  headPosition(): Promise<bigint | undefined>;
  /**
   * The last `count` events of one stream (fewer when it is shorter; empty for a missing stream), in stream
   * order (oldest first). Costs `count` events whatever the stream's length: for small bookkeeping streams
   * that only their tail matters for (the Acumatica licence heartbeats).
   */
  readLastEvents(stream: string, count: number): Promise<RecordedEvent[]>;
  /** Cheap reachability probe for /health. Throws EventStoreUnavailableError when unreachable. */
  ping(): Promise<void>;
  /** A short human name: "sqlite:data/ml-connector.db", "kurrentdb://host:2113". Never contains credentials. */
  readonly description: string;
  close(): Promise<void>;
}
