/**
 * One part of a bulk build (sqlite-bulk-build.ts), in a worker thread: its own connections to the store's
 * file, the projector folding only its part of the events up to the given head; answers the events read.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { EventMetadata, RecordedEvent } from '../../../application/ports/event-store.port';
import { GenerationProjector } from '../../../application/payroll-posting/projections/generation-projector';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { partWriteTurn } from '../event-store/sqlite/write-turn';
import type { BulkWorkerInput, BulkWorkerOutput } from './sqlite-bulk-build';
import { SqliteReadModelStore } from './sqlite-read-model-store';

async function run(input: BulkWorkerInput): Promise<number> {
  const store = new SqliteEventStore(input.file, { pageSize: 1000 });
  const turn = new Int32Array(input.turn);
  const readModels = new SqliteReadModelStore(input.file, {
    bulk: false,
    writeTurn: (write) => partWriteTurn(turn, input.index, write),
  });
  try {
    const projector = new GenerationProjector(store, readModels.named(input.generation), () => undefined, {
      part: input.part,
    });
    // Join mode only (no copies of events are written): the audit part reads just what it indexes.
    if (!readModels.joinsEvents) throw new Error('a bulk build needs the log in the read model’s file');
    const from = input.from === null ? undefined : BigInt(input.from);
    if (input.part === 'postings') return await projector.foldRange(from, BigInt(input.upTo));
    const light = new Database(input.file, { timeout: 5000 });
    try {
      return await projector.foldRange(from, BigInt(input.upTo), indexedFields(light));
    } finally {
      light.close();
    }
  } finally {
    readModels.close();
    await store.close();
  }
}

/**
 * Pages of the log with what the audit index needs of each event: everything but its data, of which only
 * a string `connectionId` (read by SQLite, so the data — most of the log's bytes — is never copied out
 * or parsed here). The audit view built from such an event would be wrong: join mode never builds one.
 */
function indexedFields(db: Database.Database): (after: bigint, limit: number) => RecordedEvent[] {
  const page = db
    .prepare(
      `SELECT position, stream, revision, id, type, metadata, recorded_at,
        CASE WHEN instr(data, '"connectionId"') > 0 AND json_type(data, '$.connectionId') = 'text'
          THEN json_extract(data, '$.connectionId') END AS connection_id
       FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    )
    .safeIntegers(true);
  return (after, limit) =>
    (page.all(after, BigInt(limit)) as IndexedRow[]).map((r) => ({
      id: r.id,
      type: r.type,
      stream: r.stream,
      revision: r.revision,
      position: r.position,
      recordedAt: r.recorded_at,
      metadata: JSON.parse(r.metadata) as EventMetadata,
      data: r.connection_id === null ? {} : { connectionId: r.connection_id },
    }));
}

interface IndexedRow {
  position: bigint;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  metadata: string;
  recorded_at: string;
  connection_id: string | null;
}

const answer = (message: BulkWorkerOutput): void => parentPort?.postMessage(message);
run(workerData as BulkWorkerInput).then(
  (read) => answer({ read }),
  (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
);
