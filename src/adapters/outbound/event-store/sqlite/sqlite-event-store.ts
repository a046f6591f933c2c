/**
 * The embedded event store: one SQLite file in WAL mode, safe for several connections and several OS
 * processes on the same file.
 *
 * Concurrency: every append runs in one IMMEDIATE transaction (the write lock is taken before the
 * expected-revision check, so check and insert cannot interleave with another writer); `busy_timeout`
 * makes a second writer wait for the lock instead of failing. UNIQUE(stream, revision) is the last line of
 * defence should anything ever bypass that lock, and UNIQUE(stream, id) makes a repeated id impossible.
 * The idempotency and conflict rule is in ../append-plan.ts.
 *
 * better-sqlite3 is synchronous: a writer waiting on another process's lock blocks this event loop for up
 * to `busyTimeoutMs`. Appends are short, so in practice the wait is milliseconds.
 *
 * Group commit: `synchronous = FULL` costs one fsync per commit (~0.3–1 ms here, on the event loop). The
 * appends requested during one turn of the event loop are committed together, at `setImmediate`, in ONE
 * IMMEDIATE transaction: each append is its own SAVEPOINT inside it (so a conflict or a refused batch
 * rolls back only that append, with exactly the outcome it would have had alone, in call order), and
 * every promise settles only after the COMMIT — nothing is acknowledged before it is durable. If BEGIN or
 * COMMIT fails, every append of the batch fails (none of them is in the log).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  EventStoreUnavailableError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../../../../application/ports/event-store.port';
import { assertStreamName } from '../append-plan';
import { normalizeFilter, normalizeMaxCount } from '../read-filter';
import { assertEventCount, StoreLifecycle } from '../store-lifecycle';
import { startCatchUpSubscription } from './catch-up-subscription';
import { toRecorded, type EventRow } from './event-rows';
import { GroupCommit } from './group-commit';
import { PageReader } from './page-reader';
import { SCHEMA_SQL } from './schema';
import { sqliteAppend } from './sqlite-append';

export interface SqliteEventStoreOptions {
  /** How long a writer waits for another connection's write lock before giving up. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** How often a live subscription looks for events appended by other processes. Default 150 ms. */
  pollIntervalMs?: number;
  /** Events read per round trip by readAll and subscriptions. Default 500. */
  pageSize?: number;
  /** Stamps `recordedAt`; injectable for tests. Default: the system clock. */
  now?: () => Date;
  /** Directory a relative path is resolved against (also used for `description`). Default: process.cwd(). */
  cwd?: string;
}

export class SqliteEventStore implements EventStore {
  readonly description: string;
  /** The absolute file path (or ':memory:'), also the key of the in-process wake-up channel. */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly options: Required<Omit<SqliteEventStoreOptions, 'cwd'>>;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly lifecycle: StoreLifecycle;
  /** Appends waiting for the next group commit (see the header). */
  private readonly commits: GroupCommit;
  private readonly pages = new PageReader(
    (sql) => this.statement(sql),
    () => this.head(),
  );

  /** `path` is a file path (relative to `options.cwd`) or ':memory:'. The parent folder is created. */
  constructor(path: string, options: SqliteEventStoreOptions = {}) {
    const cwd = options.cwd ?? process.cwd();
    const memory = path === ':memory:';
    this.file = memory ? `:memory:#${randomUUID()}` : resolve(cwd, path);
    this.description = `sqlite:${memory ? ':memory:' : displayPath(cwd, this.file)}`;
    this.lifecycle = new StoreLifecycle(this.description);
    this.options = {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      pollIntervalMs: options.pollIntervalMs ?? 150,
      pageSize: options.pageSize ?? 500,
      now: options.now ?? (() => new Date()),
    };
    if (!memory) mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(memory ? ':memory:' : this.file, { timeout: this.options.busyTimeoutMs });
    // busy_timeout first: switching to WAL and creating tables also need the lock another process may hold.
    this.db.pragma(`busy_timeout = ${this.options.busyTimeoutMs}`);
    if (!memory) this.db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and this is the audit trail.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA_SQL);
    this.commits = new GroupCommit(this.db, this.description, this.file);
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const body = sqliteAppend((sql) => this.statement(sql), this.db, this.description, this.options.now, {
      stream,
      events,
      expected,
    });
    return new Promise<AppendResult>((resolvePromise, rejectPromise) => {
      this.commits.add({ ...body, resolve: resolvePromise, reject: rejectPromise });
    });
  }

  async readStream(stream: string, fromRevision: bigint = 0n): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = this.statement('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision').all(
      stream,
      fromRevision,
    ) as EventRow[];
    return rows.map(toRecorded);
  }

  /** One row through the UNIQUE(stream, revision) index, read backwards. */
  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const row = this.statement('SELECT * FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1').get(stream) as
      EventRow | undefined;
    return row ? toRecorded(row) : undefined;
  }

  async readAll(fromPosition?: bigint, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const wanted = normalizeMaxCount(options.maxCount);
    const out: RecordedEvent[] = [];
    let after = fromPosition ?? 0n;
    // Paged so a large log never materializes as one giant statement result on a filtered read.
    while (out.length < wanted) {
      const page = this.pages.read(filter, after, Math.min(this.options.pageSize, wanted - out.length));
      out.push(...page);
      if (page.length === 0) break;
      after = page[page.length - 1].position;
    }
    return out;
  }

  subscribeToAll(
    handler: (event: RecordedEvent) => Promise<void> | void,
    options: SubscribeOptions = {},
  ): Subscription {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const subscription = startCatchUpSubscription(
      {
        channelKey: this.file,
        pollIntervalMs: this.options.pollIntervalMs,
        pageSize: this.options.pageSize,
        readPage: (position, limit) => this.pages.read(filter, position, limit),
        headPosition: () => this.head(),
      },
      handler,
      options,
      (finished) => this.lifecycle.subscriptions.delete(finished),
    );
    this.lifecycle.subscriptions.add(subscription);
    return subscription;
  }

  async readLastEvents(stream: string, count: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertEventCount(count);
    const rows = this.statement('SELECT * FROM events WHERE stream = ? ORDER BY revision DESC LIMIT ?').all(
      stream,
      count,
    ) as EventRow[];
    return rows.reverse().map(toRecorded);
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    return this.head();
  }

  private head(): bigint | undefined {
    const row = this.statement('SELECT MAX(position) AS head FROM events').get() as { head: number | bigint | null };
    return row.head === null ? undefined : BigInt(row.head);
  }

  async ping(): Promise<void> {
    try {
      this.assertOpen();
      this.statement('SELECT 1').get();
    } catch (error) {
      throw new EventStoreUnavailableError(this.description, error);
    }
  }

  /** Stops subscriptions (waiting for running handlers), then closes the file. Idempotent. */
  async close(): Promise<void> {
    // Appends already accepted are committed (or failed) before the file closes.
    await this.lifecycle.close(
      () => {
        this.db.close();
      },
      () => this.commits.flush(),
    );
  }

  /** Prepared once per distinct SQL (filters vary only in how many placeholders they need); integers as bigint. */
  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql).safeIntegers(true);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private assertOpen(): void {
    this.lifecycle.assertOpen();
  }
}

/** Relative to cwd when the file is inside it (the usual "data/ml-connector.db"), else absolute. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
