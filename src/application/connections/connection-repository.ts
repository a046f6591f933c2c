import { CONNECTION_EVENT_TYPES, connectionStream, type ConnectionEvent } from '../../domain/connection/events';
import type { ConnectionDecision, ConnectionError } from '../../domain/connection/decide';
import { evolve, initialConnection, type Connection } from '../../domain/connection/state';
import type { EventMetadata, EventStore } from '../ports/event-store.port';
import { CommandHandler, aggregateOf, type Aggregate } from '../shared/command-handler';

export interface Loaded {
  state: Connection;
  expected: bigint | 'no_stream';
}

export type Executed =
  | { ok: true; state: Connection; events: ConnectionEvent[]; revision: bigint | 'no_stream' }
  | { ok: false; error: ConnectionError; message: string }
  | { ok: false; error: 'revision_mismatch'; message: string; current: bigint | 'no_stream' }
  | { ok: false; error: 'write_conflict'; message: string };

export const connectionAggregate: Aggregate<Connection, ConnectionEvent> = aggregateOf(
  initialConnection,
  evolve,
  CONNECTION_EVENT_TYPES,
);

/** A concurrent writer (another request, another process) makes an append lose; deciding again on fresh state is safe. */
const MAX_ATTEMPTS = 6;

/** The connection aggregate through the one command handler: load, decide, append at the revision loaded. */
export class ConnectionRepository {
  private readonly handler: CommandHandler<Connection, ConnectionEvent>;

  constructor(store: EventStore) {
    this.handler = new CommandHandler(store, connectionAggregate, { maxAttempts: MAX_ATTEMPTS });
  }

  async load(connectionId: string): Promise<Loaded> {
    const loaded = await this.handler.load(connectionStream(connectionId));
    return { state: loaded.state, expected: loaded.revision };
  }

  /** `ifRevision` (an If-Match): decided only on that revision, else revision_mismatch naming the current one. */
  async execute(
    connectionId: string,
    decide: (state: Connection) => ConnectionDecision,
    metadata: EventMetadata,
    ifRevision?: bigint,
  ): Promise<Executed> {
    const out = await this.handler.handle(connectionStream(connectionId), decide, metadata, { ifRevision });
    if (out.ok) return { ok: true, state: out.state, events: out.events, revision: out.revision };
    if (out.error === 'revision_mismatch') {
      return {
        ...out,
        message: `the connection changed since that version: its current revision is ${String(out.current)}`,
      };
    }
    return { ok: false, error: out.error, message: out.message };
  }

  /** The stream's revision now (the connection's ETag). */
  revisionOf(connectionId: string): Promise<bigint | 'no_stream'> {
    return this.handler.revisionOf(connectionStream(connectionId));
  }
}
