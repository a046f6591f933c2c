/**
 * One append's transaction body on the `events` table: the ids already stored and the stream's head are read
 * under the write lock, the shared rule (../append-plan.ts) decides, the new rows are inserted. Run by the
 * group commit as a SAVEPOINT (see the header of sqlite-event-store.ts).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
} from '../../../../application/ports/event-store.port';
import { identify, IdentifiedEvent, normalizeExpected, planAppend, StoredRef, StreamHead } from '../append-plan';
import { toJson } from './event-rows';
import type { PendingAppend } from './group-commit';

type Sql = (text: string) => Database.Statement;

/** The transaction body of one append and how its SQLite errors read (a conflict, an unavailable store). */
export function sqliteAppend(
  sql: Sql,
  db: Database.Database,
  description: string,
  now: () => Date,
  append: { stream: string; events: NewEvent[]; expected: ExpectedRevision },
): Pick<PendingAppend, 'run' | 'translate'> {
  const { stream, expected } = append;
  const normalized = normalizeExpected(expected);
  const identified = identify(append.events, randomUUID);
  const rows = identified.map((event) => ({
    event,
    data: toJson(event.data, 'data'),
    metadata: toJson(event.metadata ?? {}, 'metadata'),
  }));
  const head = sql('SELECT MAX(revision) AS head FROM events WHERE stream = ?');
  const byId = sql('SELECT revision, position FROM events WHERE stream = ? AND id = ?');
  const insert = sql(
    'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const readHead = (): StreamHead => {
    const row = head.get(stream) as { head: bigint | null };
    return row.head === null ? 'no_stream' : row.head;
  };

  const transaction = db.transaction((): AppendResult => {
    const found = new Map<string, StoredRef>();
    for (const event of identified) {
      const ref = byId.get(stream, event.id) as StoredRef | undefined;
      if (ref) found.set(event.id, ref);
    }
    const plan = planAppend(identified, normalized, readHead(), found);
    switch (plan.kind) {
      case 'conflict':
        throw new WrongExpectedRevisionError(stream, expected, plan.actual);
      case 'repeat':
        return { nextExpectedRevision: plan.nextExpectedRevision, position: plan.position };
      case 'write': {
        const recordedAt = now().toISOString();
        const fresh = new Set<IdentifiedEvent>(plan.events);
        let revision = plan.firstRevision;
        let position = 0n;
        for (const { event, data, metadata } of rows) {
          if (!fresh.has(event)) continue;
          const info = insert.run(stream, revision, event.id, event.type, data, metadata, recordedAt);
          position = BigInt(info.lastInsertRowid);
          revision += 1n;
        }
        return { nextExpectedRevision: revision - 1n, position };
      }
      default:
        return assertNever(plan);
    }
  });

  return {
    // Called inside the group's transaction: better-sqlite3 runs a nested transaction as a SAVEPOINT.
    run: () => transaction(),
    translate: (error) => {
      if (!(error instanceof Database.SqliteError)) return error;
      // Another writer got a row in first despite the lock (should not happen): the stream moved under us.
      if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        return new WrongExpectedRevisionError(stream, expected, readHead());
      }
      if (error.code === 'SQLITE_BUSY' || error.code.startsWith('SQLITE_BUSY_')) {
        return new EventStoreUnavailableError(description, error);
      }
      return error;
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
