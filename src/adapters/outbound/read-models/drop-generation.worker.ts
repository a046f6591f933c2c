/**
 * Drops retired generations (sqlite-read-model-store.ts `dropRetired`) off the main thread: a generation of
 * 1M postings is gigabytes of pages that SQLite walks one by one to free, which on the main thread held the
 * event loop (and `/health`) for seconds. Here each index and each table goes in its own transaction, at the
 * process's write turn (a waiting main-thread writer goes first between them); then the meta keys.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { partWriteTurn } from '../event-store/sqlite/write-turn';
import { dropGenerationSql, forgetGenerationSql } from './read-model-schema';
import { answerParent } from './worker-task';

/** What the worker is given: the store's file, the generations to drop, the write turn and its mark there. */
export interface DropWorkerInput {
  file: string;
  generations: string[];
  turn: SharedArrayBuffer;
  index: number;
}

function run(input: DropWorkerInput): void {
  const db = new Database(input.file, { timeout: 5000 });
  const turn = new Int32Array(input.turn);
  const write = (sql: string): void => void partWriteTurn(turn, input.index, () => db.exec(sql));
  try {
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{
        name: string;
      }>
    ).map((i) => i.name);
    for (const g of input.generations) {
      for (const name of indexes) if (name.startsWith(`rm_${g}_`)) write(`DROP INDEX IF EXISTS "${name}";`);
      for (const statement of dropGenerationSql(g).split('\n')) write(statement);
      write(forgetGenerationSql(g));
    }
  } finally {
    db.close();
  }
}

answerParent(() => run(workerData as DropWorkerInput));
