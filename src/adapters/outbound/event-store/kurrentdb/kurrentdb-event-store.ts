/**
 * The event store over KurrentDB (EventStoreDB) via @kurrent/kurrentdb-client.
 *
 * Lazy: constructing it parses the connection string but dials nothing, so the service starts even when
 * the server is down; every call (and ping(), within `pingTimeoutMs`) reports EventStoreUnavailableError.
 *
 * Appends: ./kurrentdb-append.ts (the shared rule, a tail-only planning read on the leader, re-plans after lost
 * races, a hard deadline, `success: false` as a refusal). Subscriptions: ./kurrentdb-subscription.ts (re-subscribe
 * with back-off after a restart or leader change). Bookkeeping streams: ./kurrentdb-stream-bounds.ts ($maxCount).
 */
import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  KurrentDBClient,
  START,
  StreamNotFoundError,
} from '@kurrent/kurrentdb-client';
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
} from '../../../../application/ports/event-store.port';
import { assertStreamName } from '../append-plan';
import { matchesFilter, normalizeFilter, normalizeMaxCount } from '../read-filter';
import { assertEventCount, StoreLifecycle } from '../store-lifecycle';
import { describeUrl, redactUrl, toClientConnectionString } from './kurrentdb-url';
import { fromResolved, isSystemEvent, toServerFilter, translateError } from './kurrentdb-mapping';
import { appendToKurrent, AppendSettings } from './kurrentdb-append';
import { subscribeKurrent } from './kurrentdb-subscription';
import { BOUNDED_STREAMS, StreamBounds } from './kurrentdb-stream-bounds';
import { drain } from './deadline';

/** ping() reads this stream, which nothing writes: "not found" proves the server answers, for any user. */
export const PING_STREAM = 'mlc-ping-probe';

export interface KurrentDbEventStoreOptions {
  /** ping() gives up after this long. Default 2500 ms (health checks must answer quickly). */
  pingTimeoutMs?: number;
  /** Hard deadline for every call (reads per step, each append write), and one append's whole re-plan budget. Default 10 000 ms. */
  deadlineMs?: number;
  /** Optional cap on an append's writes after lost races (default: none, the deadline bounds it). */
  maxAppendAttempts?: number;
  /** How far beyond its batch an append with caller ids looks back for them (repeat detection). Default 64. */
  idempotencyWindow?: number;
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
  private readonly appendSettings: AppendSettings;
  private readonly bounds: StreamBounds;
  private readonly resubscribeDelayMs: { min: number; max: number };
  private readonly lifecycle: StoreLifecycle;

  /** `url`: esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover:// (kdb:// too). Throws only if malformed. */
  constructor(url: string, options: KurrentDbEventStoreOptions = {}) {
    this.description = describeUrl(url);
    this.lifecycle = new StoreLifecycle(this.description);
    try {
      this.client = options.client ?? KurrentDBClient.connectionString(toClientConnectionString(url));
    } catch (error) {
      // A malformed string or a missing tlsCAFile is configuration, not reachability: fail at start, say where.
      const reason = redactUrl(error instanceof Error ? error.message : String(error));
      throw new Error(`EVENT_STORE_URL (${this.description}) is not usable: ${reason}`, { cause: error });
    }
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2500;
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.appendSettings = {
      client: this.client,
      description: this.description,
      deadlineMs: this.deadlineMs,
      idempotencyWindow: options.idempotencyWindow ?? 64,
      maxAppendAttempts: options.maxAppendAttempts,
    };
    this.bounds = new StreamBounds(this.client, options.boundedStreams ?? BOUNDED_STREAMS, this.deadlineMs);
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? { min: 100, max: 5000 };
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const result = await appendToKurrent(this.appendSettings, stream, events, expected);
    await this.bounds.ensure(stream);
    return result;
  }

  async readStream(stream: string, fromRevision: bigint = 0n): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    try {
      await drain(
        this.client.readStream(stream, { fromRevision, deadline: this.deadlineMs }),
        this.deadlineMs,
        (resolved) => {
          const event = fromResolved(resolved);
          if (event) out.push(event);
          return true;
        },
      );
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
      const reader = this.readBackwards(stream, 1, this.deadlineMs);
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
        if (!event || isSystemEvent(event) || (fromPosition !== undefined && event.position <= fromPosition))
          return true;
        if (!matchesFilter(filter, event.stream, event.type)) return true;
        out.push(event);
        return out.length < wanted; // stopping early cancels the server-side read
      });
    } catch (error) {
      throw translateError(error, this.description);
    }
    return out;
  }

  subscribeToAll(
    handler: (event: RecordedEvent) => Promise<void> | void,
    options: SubscribeOptions = {},
  ): Subscription {
    this.assertOpen();
    const inner = subscribeKurrent(this.client, this.description, handler, options, this.resubscribeDelayMs);
    const subscription: Subscription = {
      stop: async () => {
        this.lifecycle.subscriptions.delete(subscription);
        await inner.stop();
      },
    };
    this.lifecycle.subscriptions.add(subscription);
    return subscription;
  }

  async readLastEvents(stream: string, count: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertEventCount(count);
    const out: RecordedEvent[] = [];
    if (count === 0) return out;
    try {
      const reader = this.readBackwards(stream, count, this.deadlineMs);
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

  /**
   * The newest non-system event's position: a backwards read of $all filtered server-side to non-`$` event types
   * (so a tail of system events, however long, is skipped), one event.
   */
  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    let head: bigint | undefined;
    try {
      const reader = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 16,
        filter: excludeSystemEvents(),
        deadline: this.deadlineMs,
      });
      await drain(reader, this.deadlineMs, (resolved) => {
        const event = fromResolved(resolved);
        if (event && !isSystemEvent(event)) head = event.position;
        return head === undefined;
      });
    } catch (error) {
      throw translateError(error, this.description);
    }
    return head;
  }

  /**
   * One tiny read under a hard deadline: a black-holed host must not hold /health for the gRPC default. It reads
   * a stream nothing writes (StreamNotFound = the server answered), so it needs no $all access (admins only).
   */
  async ping(): Promise<void> {
    this.assertOpen();
    try {
      const probe = this.readBackwards(PING_STREAM, 1, this.pingTimeoutMs);
      await drain(probe, this.pingTimeoutMs, () => false);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw new EventStoreUnavailableError(this.description, error);
    }
  }

  async close(): Promise<void> {
    await this.lifecycle.close(() => this.client.dispose());
  }

  /** The last `maxCount` events of a stream, newest first, under `deadline`. */
  private readBackwards(stream: string, maxCount: number, deadline: number) {
    return this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount, deadline });
  }

  private assertOpen(): void {
    this.lifecycle.assertOpen();
  }
}
