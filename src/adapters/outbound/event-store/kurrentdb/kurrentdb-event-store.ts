/**
 * The event store over KurrentDB (EventStoreDB) via @kurrent/kurrentdb-client.
 *
 * Lazy: constructing it parses the connection string but dials nothing, so the service starts even when
 * the server is down; every call (and ping(), within `pingTimeoutMs`) reports EventStoreUnavailableError.
 *
 * Appends follow the shared rule in ../append-plan.ts exactly as the SQLite adapter does. KurrentDB's own
 * idempotency only covers some retries (and is best-effort for `any`), so each append reads the stream's
 * ids first, plans, and writes with the *observed* stream state as the server-side expected revision. If
 * another writer slips in between read and write, the server refuses, and the append re-reads and re-plans
 * (now a conflict, an idempotent repeat, or — for 'any'/'stream_exists' — a write at the new head). Cost: one
 * stream read per append, fine for aggregate-sized streams.
 */
import {
  BACKWARDS,
  END,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../../../../application/ports/event-store.port';
import { assertStreamName, identify, normalizeExpected, planAppend, StoredRef, StreamHead } from '../append-plan';
import { matchesFilter, normalizeFilter, normalizeMaxCount } from '../read-filter';
import { describeUrl, redactUrl, toClientConnectionString } from './kurrentdb-url';
import { fromResolved, toEventData, toServerFilter, translateError } from './kurrentdb-mapping';
import { subscribeKurrent } from './kurrentdb-subscription';
import { drain } from './deadline';

export interface KurrentDbEventStoreOptions {
  /** ping() gives up after this long. Default 2500 ms (health checks must answer quickly). */
  pingTimeoutMs?: number;
  /** gRPC deadline for reads and appends. Default 10 000 ms. */
  deadlineMs?: number;
  /** How many times an append re-plans after losing a race between its read and its write. Default 5. */
  maxAppendAttempts?: number;
  /** Subscription re-connect back-off. Default { min: 100, max: 5000 } ms. */
  resubscribeDelayMs?: { min: number; max: number };
  /** `$maxCount` per stream-name prefix for bookkeeping streams. Default BOUNDED_STREAMS. */
  boundedStreams?: Record<string, number>;
  /** For tests: use this client instead of one built from the URL. */
  client?: KurrentDBClient;
}

export class KurrentDbEventStore implements EventStore {
  readonly description: string;
  private readonly client: KurrentDBClient;
  private readonly pingTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxAppendAttempts: number;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  /** `url`: esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover:// (kdb:// too). Throws only if malformed. */
  constructor(url: string, options: KurrentDbEventStoreOptions = {}) {
    this.description = describeUrl(url);
    try {
      this.client = options.client ?? KurrentDBClient.connectionString(toClientConnectionString(url));
    } catch (error) {
      // A malformed string or a missing tlsCAFile is configuration, not reachability: fail at start, say where.
      const reason = redactUrl(error instanceof Error ? error.message : String(error));
      throw new Error(`EVENT_STORE_URL (${this.description}) is not usable: ${reason}`);
    }
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2500;
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 5;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const normalized = normalizeExpected(expected);
    const identified = identify(events, randomUUID);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.readStream(stream);
      const head: StreamHead = existing.length ? existing[existing.length - 1].revision : 'no_stream';
      const wanted = new Set(identified.map((event) => event.id));
      const found = new Map<string, StoredRef>();
      for (const event of existing) if (wanted.has(event.id)) found.set(event.id, { revision: event.revision, position: event.position });

      const plan = planAppend(identified, normalized, head, found);
      if (plan.kind === 'conflict') throw new WrongExpectedRevisionError(stream, expected, plan.actual);
      if (plan.kind === 'repeat') return { nextExpectedRevision: plan.nextExpectedRevision, position: plan.position };
      try {
        const result = await this.client.appendToStream(
          stream,
          plan.events.map((event) => toEventData(stream, event)),
          { streamState: head === 'no_stream' ? NO_STREAM : head, deadline: this.deadlineMs },
        );
        const position = result.position?.commit ?? (await this.lastPosition(stream));
        return { nextExpectedRevision: result.nextExpectedRevision, position };
      } catch (error) {
        // Lost the race between our read and our write: re-plan against the new head.
        if (error instanceof WrongExpectedVersionError && attempt < this.maxAppendAttempts) continue;
        if (error instanceof WrongExpectedVersionError) {
          throw new WrongExpectedRevisionError(stream, expected, error.actualState);
        }
        throw translateError(error, this.description);
      }
    }
  }

  async readStream(stream: string, fromRevision: bigint = 0n): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    try {
      await drain(this.client.readStream(stream, { fromRevision, deadline: this.deadlineMs }), this.deadlineMs, (resolved) => {
        const event = fromResolved(resolved);
        if (event) out.push(event);
        return true;
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error, this.description);
    }
    return out;
  }

  /** A backwards read of one event from the end of the stream. */
  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    let last: RecordedEvent | undefined;
    try {
      const reader = this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1, deadline: this.deadlineMs });
      await drain(reader, this.deadlineMs, (resolved) => {
        last = fromResolved(resolved);
        return false;
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw translateError(error, this.description);
    }
    return last;
  }

  async readAll(fromPosition?: bigint, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const wanted = normalizeMaxCount(options.maxCount);
    const out: RecordedEvent[] = [];
    if (wanted === 0) return out;
    try {
      const reader = this.client.readAll({
        // A read from a position includes the event at it; the port's fromPosition is exclusive (checked below).
        fromPosition: fromPosition === undefined ? START : { commit: fromPosition, prepare: fromPosition },
        filter: toServerFilter(filter),
        deadline: this.deadlineMs,
      });
      await drain(reader, this.deadlineMs, (resolved) => {
        const event = fromResolved(resolved);
        if (!event || (fromPosition !== undefined && event.position <= fromPosition)) return true;
        if (!matchesFilter(filter, event.stream, event.type)) return true;
        out.push(event);
        return out.length < wanted; // stopping early cancels the server-side read
      });
    } catch (error) {
      throw translateError(error, this.description);
    }
    return out;
  }

  subscribeToAll(handler: (event: RecordedEvent) => Promise<void> | void, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const inner = subscribeKurrent(this.client, this.description, handler, options);
    const subscription: Subscription = {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await inner.stop();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readLastEvents(stream: string, count: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const out: RecordedEvent[] = [];
    if (count === 0) return out;
    try {
      const reader = this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count, deadline: this.deadlineMs });
      await drain(reader, this.deadlineMs, (resolved) => {
        const event = fromResolved(resolved);
        if (event) out.push(event);
        return out.length < count;
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error, this.description);
    }
    return out.reverse();
  }

  /** The newest non-system event's position; a few system events at the end only make the answer older (still safe). */
  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    let head: bigint | undefined;
    try {
      const reader = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 32, deadline: this.deadlineMs });
      await drain(reader, this.deadlineMs, (resolved) => {
        head = fromResolved(resolved)?.position;
        return head === undefined;
      });
    } catch (error) {
      throw translateError(error, this.description);
    }
    return head;
  }

  /** One tiny read under a hard deadline: a black-holed host must not hold /health for the gRPC default. */
  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError(this.description, new Error('the store is closed'));
    const probe = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: this.pingTimeoutMs });
    try {
      await drain(probe, this.pingTimeoutMs, () => false);
    } catch (error) {
      throw new EventStoreUnavailableError(this.description, error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /** Fallback for servers that do not return the position of an append. */
  private async lastPosition(stream: string): Promise<bigint> {
    let position = -1n;
    const reader = this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1, deadline: this.deadlineMs });
    await drain(reader, this.deadlineMs, (resolved) => {
      position = fromResolved(resolved)?.position ?? -1n;
      return false;
    });
    return position;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError(this.description, new Error('the store is closed'));
  }
}
