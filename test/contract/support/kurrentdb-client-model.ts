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
  private nextPosition = 1000n;

  constructor() {
    this.appended.setMaxListeners(0);
    // $all always holds system events; the adapter must never show them.
    this.write('$stats-127.0.0.1:2113', [{ id: crypto.randomUUID(), type: '$statsCollected', data: {}, metadata: undefined, contentType: 'application/json' } as EventData]);
  }

  client(): KurrentDBClient {
    return new KurrentClientModel(this) as unknown as KurrentDBClient;
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
      this.log.push({ streamId: stream, id: event.id, type: event.type, revision, data, metadata, created: new Date(), position });
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

class KurrentClientModel {
  constructor(private readonly server: KurrentServerModel) {}

  async appendToStream(stream: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}): Promise<AppendResult> {
    await tick(); // a network hop: lets concurrent callers interleave as they would against a server
    const state = options.streamState ?? 'any';
    const head = this.server.head(stream);
    const holds =
      state === 'any' ||
      (state === 'no_stream' && head === 'no_stream') ||
      (state === 'stream_exists' && head !== 'no_stream') ||
      (typeof state === 'bigint' && head === state);
    if (!holds) throw new WrongExpectedVersionError(undefined, { streamName: stream, expected: state, current: head });
    const list = Array.isArray(events) ? events : [events];
    const position = this.server.write(stream, list);
    return { success: true, nextExpectedRevision: this.server.head(stream) as bigint, position };
  }

  readStream(stream: string, options: { fromRevision?: bigint | 'start' | 'end'; direction?: string; maxCount?: number | bigint } = {}) {
    const server = this.server;
    return (async function* () {
      await tick();
      let records = server.log.filter((record) => record.streamId === stream);
      if (records.length === 0) throw new StreamNotFoundError(undefined, stream);
      if (options.direction === 'backwards') records = [...records].reverse();
      const from = options.fromRevision;
      if (typeof from === 'bigint') records = records.filter((record) => record.revision >= from);
      yield* records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map(toResolved);
    })();
  }

  readAll(options: { fromPosition?: Position | 'start' | 'end'; direction?: string; maxCount?: number | bigint; filter?: Filter } = {}) {
    const server = this.server;
    return (async function* () {
      await tick();
      let records = server.log.filter((record) => passes(options.filter, record));
      const from = options.fromPosition;
      if (options.direction === 'backwards') records = [...records].reverse();
      else if (from && typeof from === 'object') records = records.filter((record) => record.position.commit >= from.commit);
      yield* records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map(toResolved);
    })();
  }

  subscribeToAll(options: { fromPosition?: Position | 'start' | 'end'; filter?: Filter } = {}) {
    const server = this.server;
    const from = options.fromPosition;
    let cursor = from && typeof from === 'object' ? from.commit : -1n;
    const stream = new Readable({ objectMode: true, read: () => undefined }) as Readable & { unsubscribe(): Promise<void> };
    const pump = (): void => {
      for (const record of server.log) {
        if (record.position.commit <= cursor) continue;
        cursor = record.position.commit;
        if (passes(options.filter, record)) stream.push(toResolved(record));
      }
    };
    const onAppend = (): void => void setImmediate(pump);
    // Like the real stream, messages arrive after the caller has attached its listeners.
    setImmediate(() => {
      pump();
      stream.emit('caughtUp', {});
      server.appended.on('append', onAppend);
    });
    stream.unsubscribe = async () => {
      server.appended.off('append', onAppend);
      stream.push(null);
    };
    return stream;
  }

  async dispose(): Promise<void> {
    // nothing to release: the model holds no connections
  }
}
