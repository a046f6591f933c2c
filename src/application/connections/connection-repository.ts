import { connectionStream, type ConnectionEvent } from '../../domain/connection/events';
import { isRefusal, type ConnectionError, type Decision } from '../../domain/connection/decide';
import { fold, type Connection } from '../../domain/connection/state';
import { WrongExpectedRevisionError, type EventMetadata, type EventStore, type ExpectedRevision } from '../ports/event-store.port';

export interface Loaded {
  state: Connection;
  expected: ExpectedRevision;
}

export type Executed = { ok: true; state: Connection; events: ConnectionEvent[] } | { ok: false; error: ConnectionError; message: string };

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
  async execute(connectionId: string, decide: (state: Connection) => Decision, metadata: EventMetadata): Promise<Executed> {
    for (let attempt = 0; ; attempt++) {
      const { state, expected } = await this.load(connectionId);
      const decision = decide(state);
      if (isRefusal(decision)) return { ok: false, ...decision };
      if (decision.length === 0) return { ok: true, state, events: [] };
      try {
        await this.store.append(connectionStream(connectionId), decision.map((e) => ({ ...e, metadata })), expected);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 5) continue;
        throw error;
      }
      return { ok: true, state: fold(decision, state), events: decision };
    }
  }
}
