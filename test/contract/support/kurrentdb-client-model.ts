/**
 * An in-memory model of the parts of KurrentDBClient the adapter uses, so the contract suite can exercise
 * the adapter's own logic (re-planning appends, id mapping, filtering, positions, onLive accounting) on a
 * machine without a server. It models documented server behaviour only; it is no substitute for running
 * the suite against a real KurrentDB (EVENTSTORE_TEST_URL or a container).
 *
 * Modelled: optimistic concurrency on appendToStream (WrongExpectedVersionError), StreamNotFoundError on
 * reading a missing stream, non-dense commit positions, system events in $all, readAll's inclusive
 * fromPosition, subscribeToAll's exclusive fromPosition followed by a `caughtUp` message, server-side
 * stream-prefix / event-type / regex filters, JSON (de)serialisation of data and metadata.
 * Not modelled: the server's own idempotency cache (the adapter does not rely on it).
 *
 * Faults and observations, for the adapter-model tests (kurrentdb-adapter-faults.test.ts):
 *  - `calls`: every call the adapter made, with its options; `eventsRead`: events handed out per stream by
 *    readStream (what "read only the last event" is measured by).
 *  - `followerLag`: reads without `requiresLeader` see the log minus its last N records (a lagging follower).
 *  - `beforeWrite`: runs before each appendToStream is checked (to slip a competing write in).
 *  - `blackHoleAppends`: appendToStream never answers (the batch-append stream ignores the call's deadline).
 *  - `failAll`: every call fails with this error (e.g. the client's "Failed to discover after 10 attempts.");
 *    `failNext`: only the next N calls do (e.g. NotLeader while the leader changes).
 *  - `dropSubscriptions(error?)`: live subscriptions fail with `error`, or end quietly without one, as on a
 *    server restart or leader change; `refuseSubscriptions`: new subscriptions fail at once while set.
 *  - client options: `throwOnAppendFailure: false` (a refusal comes back as `success: false`, with the
 *    client's own garbled `nextExpectedRevision`), `canReadAll: false` (a user without $all read access).
 *  - stream metadata: `metadata` per stream, `$maxCount` applied on reads like the server does.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import {
  AllStreamResolvedEvent,
  AppendResult,
  AppendStreamState,
  EventData,
  Filter,
  KurrentDBClient,
  Position,
  AccessDeniedError,
  StreamMetadata,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';

interface StoredRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  data: string;
  metadata: string;
  created: Date;
  position: Position;
}

/** One "server": the log plus a wake-up for live subscriptions. Clients made from it share it. */
export class KurrentServerModel {
  readonly log: StoredRecord[] = [];
  readonly appended = new EventEmitter();
  readonly calls: Array<{ op: string; stream?: string; options?: Record<string, unknown> }> = [];
  readonly eventsRead = new Map<string, number>();
  readonly metadata = new Map<string, StreamMetadata>();
  followerLag = 0;
  beforeWrite?: (stream: string) => void;
  blackHoleAppends = false;
  failAll?: Error;
  /** The next N calls fail with this error (e.g. NotLeader during a leader change), then calls succeed again. */
  failNext?: { error: Error; times: number };
  refuseSubscriptions?: Error;
  readonly live = new Set<Readable>();
  private nextPosition = 1000n;

  constructor() {
    this.appended.setMaxListeners(0);
    // $all always holds system events; the adapter must never show them.
    this.write('$stats-127.0.0.1:2113', [
      {
        id: crypto.randomUUID(),
        type: '$statsCollected',
        data: {},
        metadata: undefined,
        contentType: 'application/json',
      } as EventData,
    ]);
  }

  client(options: ClientModelOptions = {}): KurrentDBClient {
    return new KurrentClientModel(this, options) as unknown as KurrentDBClient;
  }

  /** A server restart or leader change as a live subscription sees it: an error, or a quiet end. */
  dropSubscriptions(error?: Error): void {
    for (const stream of [...this.live]) {
      this.live.delete(stream);
      if (error) stream.destroy(error);
      else stream.push(null);
    }
  }

  /** What a reader sees: a lagging follower misses the newest records; $maxCount hides the oldest. */
  view(requiresLeader: boolean): StoredRecord[] {
    const visible =
      requiresLeader || this.followerLag === 0
        ? this.log
        : this.log.slice(0, Math.max(0, this.log.length - this.followerLag));
    return visible.filter((record) => {
      const maxCount = this.metadata.get(record.streamId)?.maxCount;
      if (maxCount === undefined) return true;
      const head = this.head(record.streamId);
      return head !== 'no_stream' && record.revision > head - BigInt(maxCount);
    });
  }

  head(stream: string): bigint | 'no_stream' {
    let head: bigint | 'no_stream' = 'no_stream';
    for (const record of this.log) if (record.streamId === stream) head = record.revision;
    return head;
  }

  write(stream: string, events: EventData[]): Position {
    let revision = (() => {
      const head = this.head(stream);
      return head === 'no_stream' ? 0n : head + 1n;
    })();
    let position: Position = { commit: 0n, prepare: 0n };
    for (const event of events) {
      const data = JSON.stringify(event.data);
      const metadata = event.metadata === undefined ? '' : JSON.stringify(event.metadata);
      position = { commit: this.nextPosition, prepare: this.nextPosition };
      // Log positions are byte offsets: strictly increasing, never dense.
      this.nextPosition += 137n + BigInt(data.length + metadata.length);
      this.log.push({
        streamId: stream,
        id: event.id,
        type: event.type,
        revision,
        data,
        metadata,
        created: new Date(),
        position,
      });
      revision += 1n;
    }
    this.appended.emit('append');
    return position;
  }
}

function toResolved(record: StoredRecord): AllStreamResolvedEvent {
  return {
    event: {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      isJson: true,
      created: record.created,
      data: JSON.parse(record.data) as never,
      metadata: (record.metadata ? JSON.parse(record.metadata) : undefined) as never,
      position: record.position,
    },
    commitPosition: record.position.commit,
  } as AllStreamResolvedEvent;
}

function passes(filter: Filter | undefined, record: StoredRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ClientModelOptions {
  /** The client's connection-string option: false turns a refused append into `success: false`. */
  throwOnAppendFailure?: boolean;
  /** false: a user whose reads of $all are denied (the default ACL gives $all to $admins only). */
  canReadAll?: boolean;
}

class KurrentClientModel {
  constructor(
    private readonly server: KurrentServerModel,
    private readonly options: ClientModelOptions,
  ) {}

  private record(op: string, stream: string | undefined, options: object | undefined): void {
    this.server.calls.push({ op, stream, options: { ...(options ?? {}) } });
    if (this.server.failAll) throw this.server.failAll;
    const next = this.server.failNext;
    if (next && next.times > 0) {
      next.times -= 1;
      throw next.error;
    }
  }

  async getStreamMetadata(stream: string, options: object = {}) {
    this.record('getStreamMetadata', stream, options);
    await tick();
    return { streamName: stream, metadata: this.server.metadata.get(stream) };
  }

  async setStreamMetadata(stream: string, metadata: StreamMetadata, options: object = {}): Promise<AppendResult> {
    this.record('setStreamMetadata', stream, options);
    await tick();
    this.server.metadata.set(stream, { ...metadata });
    return { success: true, nextExpectedRevision: 0n };
  }

  async appendToStream(
    stream: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ): Promise<AppendResult> {
    this.record('appendToStream', stream, options);
    await tick(); // a network hop: lets concurrent callers interleave as they would against a server
    if (this.server.blackHoleAppends) return new Promise<AppendResult>(() => undefined);
    this.server.beforeWrite?.(stream);
    const state = options.streamState ?? 'any';
    const head = this.server.head(stream);
    const holds =
      state === 'any' ||
      (state === 'no_stream' && head === 'no_stream') ||
      (state === 'stream_exists' && head !== 'no_stream') ||
      (typeof state === 'bigint' && head === state);
    if (!holds && this.options.throwOnAppendFailure === false) {
      // What batchAppend.js resolves with: BigInt(hasCurrentStreamRevision()) — a boolean, so 1n or 0n, never the revision.
      return { success: false, nextExpectedRevision: head === 'no_stream' ? 0n : 1n, position: undefined };
    }
    if (!holds) throw new WrongExpectedVersionError(undefined, { streamName: stream, expected: state, current: head });
    const list = Array.isArray(events) ? events : [events];
    const position = this.server.write(stream, list);
    return { success: true, nextExpectedRevision: this.server.head(stream) as bigint, position };
  }

  readStream(
    stream: string,
    options: {
      fromRevision?: bigint | 'start' | 'end';
      direction?: string;
      maxCount?: number | bigint;
      requiresLeader?: boolean;
    } = {},
  ) {
    const server = this.server;
    const record = () => this.record('readStream', stream, options);
    return (async function* () {
      record();
      await tick();
      let records = server.view(options.requiresLeader === true).filter((record) => record.streamId === stream);
      if (records.length === 0) throw new StreamNotFoundError(undefined, stream);
      if (options.direction === 'backwards') records = [...records].reverse();
      const from = options.fromRevision;
      if (typeof from === 'bigint')
        records = records.filter((record) =>
          options.direction === 'backwards' ? record.revision <= from : record.revision >= from,
        );
      for (const each of records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))) {
        server.eventsRead.set(stream, (server.eventsRead.get(stream) ?? 0) + 1);
        yield toResolved(each);
      }
    })();
  }

  readAll(
    options: {
      fromPosition?: Position | 'start' | 'end';
      direction?: string;
      maxCount?: number | bigint;
      filter?: Filter;
      requiresLeader?: boolean;
    } = {},
  ) {
    const server = this.server;
    const record = () => this.record('readAll', undefined, options);
    const canReadAll = this.options.canReadAll !== false;
    return (async function* () {
      record();
      await tick();
      if (!canReadAll) throw new AccessDeniedError(undefined);
      let records = server.view(options.requiresLeader === true).filter((record) => passes(options.filter, record));
      const from = options.fromPosition;
      if (options.direction === 'backwards') records = [...records].reverse();
      else if (from && typeof from === 'object')
        records = records.filter((record) => record.position.commit >= from.commit);
      yield* records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map(toResolved);
    })();
  }

  subscribeToAll(options: { fromPosition?: Position | 'start' | 'end'; filter?: Filter } = {}) {
    this.record('subscribeToAll', undefined, options);
    const server = this.server;
    const from = options.fromPosition;
    let cursor = from && typeof from === 'object' ? from.commit : -1n;
    const stream = new Readable({ objectMode: true, read: () => undefined }) as Readable & {
      unsubscribe(): Promise<void>;
    };
    if (server.refuseSubscriptions) {
      const refusal = server.refuseSubscriptions;
      setImmediate(() => stream.destroy(refusal));
      stream.unsubscribe = async () => undefined;
      return stream;
    }
    server.live.add(stream);
    const pump = (): void => {
      if (stream.destroyed || stream.readableEnded) return;
      for (const record of server.log) {
        if (record.position.commit <= cursor) continue;
        cursor = record.position.commit;
        if (passes(options.filter, record)) stream.push(toResolved(record));
      }
    };
    const onAppend = (): void => void setImmediate(pump);
    // Like the real stream, messages arrive after the caller has attached its listeners.
    setImmediate(() => {
      if (stream.destroyed || stream.readableEnded) return;
      pump();
      stream.emit('caughtUp', {});
      server.appended.on('append', onAppend);
    });
    stream.on('close', () => server.appended.off('append', onAppend));
    stream.on('end', () => server.appended.off('append', onAppend));
    stream.unsubscribe = async () => {
      server.live.delete(stream);
      server.appended.off('append', onAppend);
      stream.push(null);
    };
    return stream;
  }

  async dispose(): Promise<void> {
    // nothing to release: the model holds no connections
  }
}
