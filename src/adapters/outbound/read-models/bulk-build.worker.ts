/**
 * One part of a bulk build (sqlite-bulk-build.ts), in a worker thread: its own connections to the store's
 * file, the projector folding only its part of the events up to the given head; answers the events read.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { GenerationProjector } from '../../../application/payroll-posting/projections/generation-projector';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { partWriteTurn } from '../event-store/sqlite/write-turn';
import { indexedFields, postingEvents } from './bulk-build-readers';
import { dropPostingsIndexesSql, postingsIndexes } from './read-model-schema';
import type { BulkWorkerInput } from './sqlite-bulk-build';
import { SqliteReadModelStore } from './sqlite-read-model-store';
import { answerParent } from './worker-task';

async function run(input: BulkWorkerInput): Promise<number> {
  const store = new SqliteEventStore(input.file, { pageSize: 1000 });
  const turn = new Int32Array(input.turn);
  const writeTurn = <T>(write: () => T): T => partWriteTurn(turn, input.index, write);
  const readModels = new SqliteReadModelStore(input.file, { bulk: false, writeTurn });
  // The part's own reads of the log, and its schema changes.
  const db = new Database(input.file, { timeout: 5000 });
  try {
    const projector = new GenerationProjector(store, readModels.named(input.generation), () => undefined, {
      part: input.part,
    });
    // Join mode only (no copies of events are written): each part reads just what it needs.
    if (!readModels.joinsEvents) throw new Error('a bulk build needs the log in the read model’s file');
    const from = input.from === null ? undefined : BigInt(input.from);
    const upTo = BigInt(input.upTo);
    if (input.part === 'audit') return await projector.foldRange(from, upTo, indexedFields(db));
    // A generation that does not serve yet (a rebuild's) is loaded without its postings indexes, which
    // are then built once each, every one in its own turn at the write lock (see read-model-schema.ts).
    const g = input.generation;
    const deferIndexes = readModels.currentName() !== g;
    if (deferIndexes) writeTurn(() => db.exec(dropPostingsIndexesSql(g)));
    const read = await projector.foldRange(from, upTo, postingEvents(db));
    if (deferIndexes) for (const index of postingsIndexes(g)) writeTurn(() => db.exec(index));
    return read;
  } finally {
    db.close();
    readModels.close();
    await store.close();
  }
}

answerParent(() => run(workerData as BulkWorkerInput));
