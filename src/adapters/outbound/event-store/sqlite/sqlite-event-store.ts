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
  AppendResult,
  EventMetadata,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../../../../application/ports/event-store.port';
import { assertStreamName, identify, IdentifiedEvent, normalizeExpected, planAppend, StoredRef, StreamHead } from '../append-plan';
import { normalizeFilter, normalizeMaxCount, NormalizedFilter } from '../read-filter';
import { startCatchUpSubscription } from './catch-up-subscription';
import { notifyChange } from './change-notifier';
import { SCHEMA_SQL } from './schema';

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

interface EventRow {
  position: bigint;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** One append waiting for the group commit: its transaction body (run as a SAVEPOINT) and its promise. */
interface PendingAppend {
  run: () => AppendResult;
  translate: (error: unknown) => unknown;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: AppendResult } | { ok: false; error: unknown };

export class SqliteEventStore implements EventStore {
  readonly description: string;
  /** The absolute file path (or ':memory:'), also the key of the in-process wake-up channel. */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly options: Required<Omit<SqliteEventStoreOptions, 'cwd'>>;
  private readonly subscriptions = new Set<Subscription>();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  /** Appends waiting for the next group commit (see the header). */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;

  /** `path` is a file path (relative to `options.cwd`) or ':memory:'. The parent folder is created. */
  constructor(path: string, options: SqliteEventStoreOptions = {}) {
    const cwd = options.cwd ?? process.cwd();
    const memory = path === ':memory:';
    this.file = memory ? `:memory:#${randomUUID()}` : resolve(cwd, path);
    this.description = `sqlite:${memory ? ':memory:' : displayPath(cwd, this.file)}`;
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
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const normalized = normalizeExpected(expected);
    const identified = identify(events, randomUUID);
    const rows = identified.map((event) => ({ event, data: toJson(event.data, 'data'), metadata: toJson(event.metadata ?? {}, 'metadata') }));

    const head = this.statement('SELECT MAX(revision) AS head FROM events WHERE stream = ?');
    const byId = this.statement('SELECT revision, position FROM events WHERE stream = ? AND id = ?');
    const insert = this.statement('INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');

    const readHead = (): StreamHead => {
      const row = head.get(stream) as { head: bigint | null };
      return row.head === null ? 'no_stream' : row.head;
    };

    const transaction = this.db.transaction((): AppendResult => {
      const found = new Map<string, StoredRef>();
      for (const event of identified) {
        const ref = byId.get(stream, event.id) as StoredRef | undefined;
        if (ref) found.set(event.id, ref);
      }
      const current = readHead();
      const plan = planAppend(identified, normalized, current, found);
      switch (plan.kind) {
        case 'conflict':
          throw new WrongExpectedRevisionError(stream, expected, plan.actual);
        case 'repeat':
          return { nextExpectedRevision: plan.nextExpectedRevision, position: plan.position };
        case 'write': {
          const recordedAt = this.options.now().toISOString();
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

    return new Promise<AppendResult>((resolvePromise, rejectPromise) => {
      this.pending.push({
        // Called inside the group's transaction: better-sqlite3 runs a nested transaction as a SAVEPOINT.
        run: () => transaction(),
        translate: (error) => this.translateWriteError(error, stream, expected, readHead),
        resolve: resolvePromise,
        reject: rejectPromise,
      });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits every pending append in one IMMEDIATE transaction (one fsync), then settles their promises. */
  private flush(): void {
    this.flushScheduled = false;
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
      group.immediate();
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

  async readStream(stream: string, fromRevision: bigint = 0n): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = this.statement('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision').all(stream, fromRevision) as EventRow[];
    return rows.map(toRecorded);
  }

  /** One row through the UNIQUE(stream, revision) index, read backwards. */
  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const row = this.statement('SELECT * FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1').get(stream) as EventRow | undefined;
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
      const page = this.readPage(filter, after, Math.min(this.options.pageSize, wanted - out.length));
      out.push(...page);
      if (page.length === 0) break;
      after = page[page.length - 1].position;
    }
    return out;
  }

  subscribeToAll(handler: (event: RecordedEvent) => Promise<void> | void, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const subscription = startCatchUpSubscription(
      {
        channelKey: this.file,
        pollIntervalMs: this.options.pollIntervalMs,
        pageSize: this.options.pageSize,
        readPage: (position, limit) => this.readPage(filter, position, limit),
        headPosition: () => this.head(),
      },
      handler,
      options,
      (finished) => this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readLastEvents(stream: string, count: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const rows = this.statement('SELECT * FROM events WHERE stream = ? ORDER BY revision DESC LIMIT ?').all(stream, count) as EventRow[];
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
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are committed (or failed) before the file closes.
    this.flush();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private readPage(filter: NormalizedFilter, after: bigint, limit: number): RecordedEvent[] {
    if (filter.streamPrefixes && this.sparse(filter.streamPrefixes, after)) return this.readSparsePage(filter, after, limit);
    const where: string[] = ['position > ?'];
    const params: unknown[] = [after];
    if (filter.streamPrefixes) {
      // substr, not LIKE: LIKE is case-insensitive for ASCII and treats % and _ as wildcards.
      where.push(`(${filter.streamPrefixes.map(() => 'substr(stream, 1, length(?)) = ?').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix, prefix);
    }
    if (filter.eventTypes) {
      where.push(`type IN (${[...filter.eventTypes].map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    params.push(BigInt(limit));
    const rows = this.statement(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`).all(...params) as EventRow[];
    return rows.map(toRecorded);
  }

  /**
   * Read through the stream index rather than by position? The index holds (stream, revision), so a
   * prefix's range costs all its entries whatever the cursor, while the position scan costs the events
   * after the cursor. The index wins when the prefix has few events in all (≤ SPARSE_LIMIT: e.g. the
   * connection streams among millions of postings) and fewer than lie after the cursor. The count stops
   * at that bound, so deciding never costs more than the cheaper read.
   */
  private sparse(prefixes: readonly string[], after: bigint): boolean {
    // Ranges are exact for ASCII prefixes only (BINARY order is UTF-8 byte order); others scan.
    if (prefixes.some((p) => !/^[\x20-\x7e]+$/.test(p))) return false;
    const head = this.head();
    if (head === undefined || head <= after) return false;
    const behind = head - after;
    const cap = behind < BigInt(SPARSE_LIMIT) ? Number(behind) : SPARSE_LIMIT;
    let total = 0;
    for (const prefix of prefixes) {
      const row = this.statement('SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE stream >= ? AND stream < ? LIMIT ?)').get(
        prefix,
        prefixEnd(prefix),
        BigInt(cap - total + 1),
      ) as { n: bigint };
      total += Number(row.n);
      if (total > cap) return false;
    }
    return true;
  }

  /** The same page read through the stream index (a range per prefix), then ordered by position. */
  private readSparsePage(filter: NormalizedFilter, after: bigint, limit: number): RecordedEvent[] {
    const prefixes = filter.streamPrefixes!;
    const where: string[] = [`(${prefixes.map(() => '(stream >= ? AND stream < ? AND substr(stream, 1, length(?)) = ?)').join(' OR ')})`, '+position > ?'];
    const params: unknown[] = [];
    for (const prefix of prefixes) params.push(prefix, prefixEnd(prefix), prefix, prefix);
    params.push(after);
    if (filter.eventTypes) {
      where.push(`type IN (${[...filter.eventTypes].map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    params.push(BigInt(limit));
    const rows = this.statement(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`).all(...params) as EventRow[];
    return rows.map(toRecorded);
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

  private translateWriteError(error: unknown, stream: string, expected: ExpectedRevision, readHead: () => StreamHead): unknown {
    if (!(error instanceof Database.SqliteError)) return error;
    // Another writer got a row in first despite the lock (should not happen): the stream moved under us.
    if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return new WrongExpectedRevisionError(stream, expected, readHead());
    }
    if (error.code === 'SQLITE_BUSY' || error.code.startsWith('SQLITE_BUSY_')) {
      return new EventStoreUnavailableError(this.description, error);
    }
    return error;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError(this.description, new Error('the store is closed'));
  }
}

/** A prefix with at most this many events in all may be read through the stream index (see `sparse`). */
const SPARSE_LIMIT = 2000;

/** The smallest string above every string that starts with `prefix` (BINARY order): its last code unit + 1. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError(`event ${what} is not JSON-serializable`);
  return text;
}

/** Relative to cwd when the file is inside it (the usual "data/ml-connector.db"), else absolute. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
