import { connectionStream, type ConnectionEvent } from '../../domain/connection/events';
import { isRefusal, type ConnectionError, type Decision } from '../../domain/connection/decide';
import { fold, type Connection } from '../../domain/connection/state';
import { WrongExpectedRevisionError, type EventMetadata, type EventStore, type ExpectedRevision } from '../ports/event-store.port';

export interface Loaded {
  state: Connection;
  expected: ExpectedRevision;
}

export type Executed =
  | { ok: true; state: Connection; events: ConnectionEvent[]; revision: bigint | 'no_stream' }
  | { ok: false; error: ConnectionError; message: string }
  | { ok: false; error: 'revision_mismatch'; message: string; current: bigint | 'no_stream' };

/** Loads a connection stream, folds it, appends a decision at the revision it loaded. */
export class ConnectionRepository {
  constructor(private readonly store: EventStore) {}

  async load(connectionId: string): Promise<Loaded> {
    const recorded = await this.store.readStream(connectionStream(connectionId));
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as ConnectionEvent);
    return { state: fold(events), expected: recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].revision };
  }

  /**
   * The handler in three lines, plus a retry: a concurrent writer (another request, another process)
   * makes the append fail on the revision; deciding again on fresh state is always safe here.
   */
  async execute(connectionId: string, decide: (state: Connection) => Decision, metadata: EventMetadata, ifRevision?: bigint): Promise<Executed> {
    for (let attempt = 0; ; attempt++) {
      const { state, expected } = await this.load(connectionId);
      // The caller decided on what it saw at `ifRevision` (an If-Match): anything newer is someone else's change.
      if (ifRevision !== undefined && expected !== ifRevision) return mismatch(expected);
      const decision = decide(state);
      if (isRefusal(decision)) return { ok: false, ...decision };
      if (decision.length === 0) return { ok: true, state, events: [], revision: expected as bigint | 'no_stream' };
      let appended: bigint;
      try {
        appended = (await this.store.append(connectionStream(connectionId), decision.map((e) => ({ ...e, metadata })), expected)).nextExpectedRevision;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && ifRevision !== undefined) return mismatch(error.actual);
        if (error instanceof WrongExpectedRevisionError && attempt < 5) continue;
        throw error;
      }
      return { ok: true, state: fold(decision, state), events: decision, revision: appended };
    }
  }

  /** The stream's revision now (the connection's ETag). */
  async revisionOf(connectionId: string): Promise<bigint | 'no_stream'> {
    return (await this.load(connectionId)).expected as bigint | 'no_stream';
  }
}

const mismatch = (current: bigint | 'no_stream' | ExpectedRevision): Executed => ({
  ok: false,
  error: 'revision_mismatch',
  message: `the connection changed since that version: its current revision is ${String(current)}`,
  current: typeof current === 'bigint' ? current : 'no_stream',
});
