/**
 * The read model in SQLite (better-sqlite3, synchronous). With the embedded event store it lives in the
 * store's own file ("join mode": the audit index holds only (connection, position, type, time) and a page
 * joins the `events` table by position); elsewhere (KurrentDB: a local file per instance, MLC_READ_MODEL_PATH)
 * the audit index also keeps each event's JSON, since the log cannot be read by position from here.
 *
 * `synchronous = NORMAL`: the read model is derived, and rows and checkpoint commit in one transaction, so
 * a power loss can only move both back together; the log replays the rest.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  RebuildInProgressError,
  type BulkBuild,
  type ReadModelGeneration,
  type ReadModelStore,
} from '../../../application/payroll-posting/projections/read-model-store.port';
import { dropGenerationSql, forgetGenerationSql, generationSql, META_SQL, postingsIndexes } from './read-model-schema';
import { SqliteGeneration } from './sqlite-read-model-generation';
import { sqliteBulkBuild, type BulkBuildOptions } from './sqlite-bulk-build';
import { mainWriteTurn } from '../event-store/sqlite/write-turn';
import { retiredDropInWorker, type RetiredDrop } from './sqlite-retired-drop';

const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** A rebuild whose generation was not written for this long is taken to be dead (its process ended). */
const REBUILD_LEASE_MS = 30_000;

export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database;
  /** The events table is in this file: audit pages join it instead of keeping copies. */
  readonly joinsEvents: boolean;
  private readonly generations = new Map<string, SqliteGeneration>();

  /** Runs each write transaction of a generation: the main thread's turn, or a bulk build part's. */
  readonly writeTurn: <T>(write: () => T) => T;
  /** A far-behind build in parallel worker threads (join mode on a file only; see sqlite-bulk-build.ts). */
  readonly bulkBuild?: BulkBuild;
  /** Retired generations dropped off this thread (sqlite-retired-drop.ts), and those being dropped. */
  private readonly dropInWorker?: RetiredDrop;
  private readonly dropping = new Set<string>();

  /** `path`: a file (its folder is created) or ':memory:'. `bulk: false`: no bulk build (its own workers). */
  constructor(
    readonly path: string,
    options: {
      busyTimeoutMs?: number;
      bulk?: false | Omit<BulkBuildOptions, 'file'>;
      /** The compiled retired-generation drop worker (default: next to this file; none: drop here). */
      dropScript?: string;
      /** Runs each write transaction of a generation (a bulk build's parts take turns through it). */
      writeTurn?: <T>(write: () => T) => T;
    } = {},
  ) {
    // The main thread's turn unless told otherwise (a bulk build's worker passes its part's).
    this.writeTurn = options.writeTurn ?? mainWriteTurn;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~40 MB instead of every 4 MB: a catch-up or rebuild writes rows in large
    // batches, and each checkpoint copies (and syncs) pages it will soon dirty again — measured on a
    // 10k-posting rebuild here, 14–17k → 34–42k events/s on a loaded box.
    if (path !== ':memory:') this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(META_SQL);
    this.joinsEvents =
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
    if (this.joinsEvents && path !== ':memory:' && options.bulk !== false) {
      this.bulkBuild = sqliteBulkBuild({ ...options.bulk, file: path });
      this.dropInWorker = retiredDropInWorker(path, options.dropScript);
    }
  }

  /** The generation of that name (a bulk build's worker writes the one its projector is building). */
  named(name: string): ReadModelGeneration {
    return this.generation(name);
  }

  current(): ReadModelGeneration {
    const name = this.meta('current');
    if (name) return this.generation(name);
    const created = this.db
      .transaction(() => {
        const again = this.meta('current');
        if (again) return again;
        this.db.exec(generationSql('g1'));
        this.setMeta('current', 'g1');
        this.setMeta('seq', '1');
        return 'g1';
      })
      .immediate();
    return this.generation(created);
  }

  createGeneration(): ReadModelGeneration {
    const name = this.db
      .transaction(() => {
        const building = this.meta('building');
        if (building && building !== this.meta('current')) {
          // Another rebuild (this instance or another on the file) that is still writing: leave it alone.
          const beat = Number(this.meta('building.at') ?? '0');
          if (Date.now() - beat < REBUILD_LEASE_MS) throw new RebuildInProgressError(building);
          this.db.exec(dropGenerationSql(building));
        }
        const seq = Number(this.meta('seq') ?? '1') + 1;
        const g = `g${seq}`;
        this.db.exec(dropGenerationSql(g));
        this.db.exec(generationSql(g));
        this.setMeta('seq', String(seq));
        this.setMeta('building', g);
        this.setMeta('building.at', String(Date.now()));
        this.db.prepare('DELETE FROM rm_meta WHERE key = ?').run(`${g}.checkpoint`);
        return g;
      })
      .immediate();
    this.generations.delete(name);
    return this.generation(name);
  }

  currentName(): string | undefined {
    return this.meta('current');
  }

  /**
   * The generation's postings indexes are made sure of first (see read-model-schema.ts).
   * The old generation is not dropped here: another instance on this file may still be writing it until
   * it sees `current` move (it follows within a second). It is retired, and dropped by `dropRetired`.
   */
  promote(generation: ReadModelGeneration): void {
    this.db
      .transaction(() => {
        // A bulk build creates them after its load; a build that stopped short of that is finished here.
        for (const index of postingsIndexes(generation.name)) this.db.exec(index);
        const old = this.meta('current');
        this.setMeta('current', generation.name);
        this.db.prepare("DELETE FROM rm_meta WHERE key IN ('building', 'building.at')").run();
        if (old && old !== generation.name) this.setMeta(`retired.${old}`, String(Date.now()));
      })
      .immediate();
  }

  /**
   * Drops the generations retired at least `olderThanMs` ago: in a worker thread where one is offered
   * (sqlite-retired-drop.ts; then the names are those whose drop started, and a failed drop is tried again
   * at a later call), else here. Returns their names.
   */
  dropRetired(olderThanMs: number): string[] {
    const current = this.meta('current');
    const due = (
      this.db.prepare("SELECT key, value FROM rm_meta WHERE key LIKE 'retired.%'").all() as Array<{
        key: string;
        value: string;
      }>
    )
      .filter((r) => Date.now() - Number(r.value) >= olderThanMs)
      .map((r) => r.key.slice('retired.'.length))
      .filter((g) => g !== current && !this.dropping.has(g));
    if (due.length === 0) return [];
    for (const g of due) this.generations.delete(g);
    if (this.dropInWorker) {
      for (const g of due) this.dropping.add(g);
      this.dropInWorker(due)
        .catch((error: unknown) => console.error(`read model: ${String(error)}`))
        .finally(() => due.forEach((g) => this.dropping.delete(g)));
      return due;
    }
    this.db
      .transaction(() => {
        for (const g of due) {
          this.db.exec(dropGenerationSql(g));
          this.db.exec(forgetGenerationSql(g));
        }
      })
      .immediate();
    return due;
  }

  discard(generation: ReadModelGeneration): void {
    if (generation.name === this.meta('current')) return;
    this.db
      .transaction(() => {
        this.db.exec(dropGenerationSql(generation.name));
        if (this.meta('building') === generation.name)
          this.db.prepare("DELETE FROM rm_meta WHERE key = 'building'").run();
      })
      .immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM rm_meta WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO rm_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  private generation(name: string): SqliteGeneration {
    let found = this.generations.get(name);
    if (!found) {
      found = new SqliteGeneration(this.db, name, this.joinsEvents, this);
      this.generations.set(name, found);
    }
    return found;
  }
}
