import type Database from 'better-sqlite3';
import { EventStoreUnavailableError, type AppendResult } from '../../../../application/ports/event-store.port';
import { notifyChange } from './change-notifier';
import { mainWriteTurn } from './write-turn';

/** One append waiting for the group commit: its transaction body (run as a SAVEPOINT) and its promise. */
export interface PendingAppend {
  run: () => AppendResult;
  translate: (error: unknown) => unknown;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: AppendResult } | { ok: false; error: unknown };

/**
 * The appends requested during one turn of the event loop, committed together at `setImmediate` in ONE
 * IMMEDIATE transaction (one fsync), each as its own SAVEPOINT; every promise settles only after the COMMIT.
 * See the header of sqlite-event-store.ts.
 */
export class GroupCommit {
  private pending: PendingAppend[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly description: string,
    /** The store's file: the key of the in-process wake-up channel told after a commit. */
    private readonly file: string,
  ) {}

  add(append: PendingAppend): void {
    this.pending.push(append);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits every pending append in one IMMEDIATE transaction (one fsync), then settles their promises. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (!this.db.open) {
      const closed = new EventStoreUnavailableError(this.description, new Error('the store is closed'));
      for (const item of batch) item.reject(closed);
      return;
    }
    const settled: Settled[] = [];
    const group = this.db.transaction((): void => {
      for (const item of batch) {
        try {
          settled.push({ ok: true, value: item.run() });
        } catch (error) {
          // The SAVEPOINT was rolled back; the others stand. Should SQLite have rolled back the whole
          // transaction (I/O error, disk full), nothing of the batch can commit: fail it all.
          if (!this.db.inTransaction) throw error;
          settled.push({ ok: false, error });
        }
      }
    });
    try {
      mainWriteTurn(() => group.immediate());
    } catch (error) {
      for (const item of batch) item.reject(item.translate(error));
      return;
    }
    if (settled.some((outcome) => outcome.ok)) notifyChange(this.file);
    batch.forEach((item, index) => {
      const outcome = settled[index];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(item.translate(outcome.error));
    });
  }
}
