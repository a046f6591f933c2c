import type { Accepted, Refused } from '../../domain/shared/decision';
import {
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../ports/event-store.port';
import { decidedEventId } from './decided-events';

/** A domain event as deciders make them. */
export interface DomainEvent {
  type: string;
  data: unknown;
}

/** How one aggregate's stream is read and folded. */
export interface Aggregate<S, E extends DomainEvent> {
  readonly initial: S;
  evolve(state: S, event: E): S;
  /** The recorded event as this aggregate's event, or undefined for one it does not know (a newer version wrote it). */
  toEvent(recorded: RecordedEvent): E | undefined;
  /**
   * 'stream' (default): the whole stream is folded. 'last': only the last event matters (a lease, whose stream
   * grows by one event per use and must never be read whole): `evolve(initial, last)`.
   */
  readonly read?: 'stream' | 'last';
}

/** An event of the loaded stream: as read, or as this process just wrote it. */
export type StreamEvent = Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata' | 'revision'> & {
  recordedAt?: string;
};

export interface Loaded<S> {
  readonly stream: string;
  readonly state: S;
  /** The revision of the stream's last event ('no_stream' when empty): the expected revision of the next append. */
  readonly revision: bigint | 'no_stream';
  /** The events behind `state` (for 'last' aggregates only the last one), oldest first. */
  readonly events: readonly StreamEvent[];
}

/** Why a command could not be written, apart from the decider's own refusals. */
export type ConflictError =
  | 'revision_mismatch' // the caller named the revision it decided on (If-Match) and the stream has moved since
  | 'write_conflict'; // other writers kept moving the stream: every attempt lost its append race

export type Conflict =
  | { ok: false; error: 'revision_mismatch'; message: string; current: bigint | 'no_stream' }
  | { ok: false; error: 'write_conflict'; message: string; attempts: number };

export type Handled<S, E, R extends Refused<string>> =
  | { ok: true; state: S; events: E[]; revision: bigint | 'no_stream'; loaded: Loaded<S> }
  | ({ ok: false } & R)
  | Conflict;

export interface HandleOptions {
  /** Decide only on this revision (an If-Match): a stream that has moved answers revision_mismatch, never retried. */
  ifRevision?: bigint;
  /** Attempts in all for this call (default: the handler's). */
  maxAttempts?: number;
}

export interface HandlerOptions<S, E> {
  /** Attempts in all (a load, a decision, an append each) before a write_conflict. */
  maxAttempts: number;
  /** Told about every append that went through (metrics, logs): the stream before, the events, the stream after. */
  observe?: (before: Loaded<S>, events: E[], after: Loaded<S>, metadata: EventMetadata) => void;
}

/** What an attempt of `attempt()` returns to have the stream re-read and the work done again. */
export const RETRY = Symbol('retry');

type RefusalOf<D> = Extract<D, Refused<string>>;

const isRefusal = <D extends Accepted<unknown> | Refused<string>>(decision: D): decision is RefusalOf<D> =>
  'error' in decision;

/** The data as a reader gets it back from the store (a JSON round trip drops `undefined` fields). */
const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The one way a command is handled, for every aggregate: load the stream (with its revision) → decide →
 * append at that revision with name-based event ids (stream, revision, type, data: a retried append is an
 * idempotent repeat) → on a lost race, re-read and decide again, at most `maxAttempts` times in all → a
 * typed conflict. The state after an append is folded here from the events just written: no re-read.
 */
export class CommandHandler<S, E extends DomainEvent> {
  constructor(
    private readonly store: EventStore,
    private readonly aggregate: Aggregate<S, E>,
    private readonly options: HandlerOptions<S, E>,
  ) {}

  async load(stream: string): Promise<Loaded<S>> {
    if (this.aggregate.read === 'last') {
      const last = await this.store.readLastEvent(stream);
      const event = last && this.aggregate.toEvent(last);
      return {
        stream,
        state: event ? this.aggregate.evolve(this.aggregate.initial, event) : this.aggregate.initial,
        revision: last ? last.revision : 'no_stream',
        events: last ? [last] : [],
      };
    }
    const recorded = await this.store.readStream(stream);
    let state = this.aggregate.initial;
    for (const r of recorded) {
      const event = this.aggregate.toEvent(r);
      if (event) state = this.aggregate.evolve(state, event);
    }
    const last = recorded[recorded.length - 1];
    return { stream, state, revision: last ? last.revision : 'no_stream', events: recorded };
  }

  /** The stream's revision now (its ETag), from its last event alone. */
  async revisionOf(stream: string): Promise<bigint | 'no_stream'> {
    return (await this.store.readLastEvent(stream))?.revision ?? 'no_stream';
  }

  /**
   * The stream after `events`, as this process would write them now at `loaded.revision`: ids fixed by where they
   * land, data as the store keeps it, state folded locally. Nothing is written (see `append`).
   */
  after(loaded: Loaded<S>, events: readonly E[], metadata: EventMetadata): Loaded<S> {
    return this.project(loaded, events, metadata).view;
  }

  /**
   * Appends at the revision loaded. Answers the stream after the append (folded here, not re-read), or null when
   * another writer got there first (the caller re-reads).
   */
  append(loaded: Loaded<S>, events: readonly E[], metadata: EventMetadata): Promise<Loaded<S> | null> {
    return this.appendBatches(loaded, [{ events, metadata }]);
  }

  /**
   * Several decisions, each with its own metadata, in ONE append at `base.revision`: the same events, ids and
   * order as appending them one after the other, in one commit. All go in, or all lose the race (null).
   */
  async appendBatches(
    base: Loaded<S>,
    batches: ReadonlyArray<{ events: readonly E[]; metadata: EventMetadata }>,
  ): Promise<Loaded<S> | null> {
    let view = base;
    let metadata: EventMetadata = {};
    const written: NewEvent[] = [];
    const events: E[] = [];
    for (const batch of batches) {
      events.push(...batch.events);
      const projected = this.project(view, batch.events, batch.metadata);
      written.push(...projected.written);
      view = projected.view;
      metadata = batch.metadata;
    }
    if (written.length === 0) return base;
    try {
      await this.store.append(base.stream, written, base.revision);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return null;
      throw error;
    }
    this.options.observe?.(base, events, view, metadata);
    return view;
  }

  private project(
    loaded: Loaded<S>,
    events: readonly E[],
    metadata: EventMetadata,
  ): { view: Loaded<S>; written: NewEvent[] } {
    const first = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
    let state = loaded.state;
    const recorded: StreamEvent[] = events.map((event, i) => {
      const revision = first + BigInt(i);
      const data = asStored(event.data);
      state = this.aggregate.evolve(state, { ...event, data });
      // Named by where it lands (decided-events.ts): a retried append of the same decision is stored once.
      return {
        id: decidedEventId(loaded.stream, revision, event),
        type: event.type,
        data,
        metadata,
        revision,
        recordedAt: metadata.at,
      };
    });
    const written: NewEvent[] = recorded.map(({ id, type, data }) => ({ id, type, data, metadata }));
    const revision = events.length === 0 ? loaded.revision : first + BigInt(events.length - 1);
    const kept =
      this.aggregate.read === 'last'
        ? recorded.length > 0
          ? recorded.slice(-1)
          : loaded.events
        : [...loaded.events, ...recorded];
    return { view: { stream: loaded.stream, state, revision, events: kept }, written };
  }

  /**
   * Load → work → (the work appends) as one attempt, repeated on RETRY with a fresh read, at most
   * `maxAttempts` times. For work with outside calls between its decision and its append (an Acumatica write).
   */
  async attempt<T>(
    stream: string,
    work: (loaded: Loaded<S>, attempt: number) => Promise<T | typeof RETRY>,
    options: HandleOptions = {},
  ): Promise<T | Conflict> {
    const maxAttempts = options.maxAttempts ?? this.options.maxAttempts;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const loaded = await this.load(stream);
      if (options.ifRevision !== undefined && loaded.revision !== options.ifRevision) return mismatch(loaded.revision);
      const result = await work(loaded, attempt);
      if (result !== RETRY) return result;
      // With an If-Match the caller decided on one revision only: a lost race means it is stale.
      if (options.ifRevision !== undefined) return mismatch((await this.load(stream)).revision);
    }
    return {
      ok: false,
      error: 'write_conflict',
      message: `${stream} kept changing: ${maxAttempts} attempts lost their append race`,
      attempts: maxAttempts,
    };
  }

  /** Load → decide → append, retried on a lost race: the decider's events and the state after them, or why not. */
  handle<D extends Accepted<E> | Refused<string>>(
    stream: string,
    decide: (state: S, loaded: Loaded<S>) => D,
    metadata: EventMetadata | ((loaded: Loaded<S>) => EventMetadata),
    options: HandleOptions = {},
  ): Promise<Handled<S, E, RefusalOf<D>>> {
    return this.attempt<Handled<S, E, RefusalOf<D>>>(
      stream,
      async (loaded) => {
        const decision = decide(loaded.state, loaded);
        if (isRefusal(decision)) return { ok: false, ...decision };
        const events = (decision as Accepted<E>).events;
        const after = await this.append(loaded, events, typeof metadata === 'function' ? metadata(loaded) : metadata);
        if (!after) return RETRY;
        return { ok: true, state: after.state, events, revision: after.revision, loaded: after };
      },
      options,
    );
  }
}

const mismatch = (current: bigint | 'no_stream'): Conflict => ({
  ok: false,
  error: 'revision_mismatch',
  message: `the stream changed since that version: its current revision is ${String(current)}`,
  current,
});

/** `toEvent` for an aggregate whose events are told apart by type: a recorded event of another type is skipped. */
export function eventsOfTypes<E extends DomainEvent>(
  types: readonly E['type'][],
): (recorded: RecordedEvent) => E | undefined {
  const known = new Set<string>(types);
  return (recorded) => (known.has(recorded.type) ? ({ type: recorded.type, data: recorded.data } as E) : undefined);
}

/** An aggregate from its decider's parts; events of types it does not list are skipped, not misread. */
export function aggregateOf<S, E extends DomainEvent>(
  initial: S,
  evolve: (state: S, event: E) => S,
  types: readonly E['type'][],
  read?: 'stream' | 'last',
): Aggregate<S, E> {
  return { initial, evolve, toEvent: eventsOfTypes<E>(types), ...(read ? { read } : {}) };
}
