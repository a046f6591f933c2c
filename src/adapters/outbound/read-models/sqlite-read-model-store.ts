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
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PostingStatus } from '../../../domain/payroll-posting/state';
import type { AuditEvent } from '../../../application/payroll-posting/projections/audit-event';
import type { PostingView } from '../../../application/payroll-posting/projections/posting-view';
import type {
  AuditIndexQuery,
  PostingListQuery,
  PostingRow,
  ReadModelBatch,
  ReadModelGeneration,
  ReadModelStore,
} from '../../../application/payroll-posting/projections/read-model-store.port';
import { dropGenerationSql, generationSql, META_SQL } from './read-model-schema';

const STATUSES: PostingStatus[] = ['pending', 'posted', 'failed', 'needs_attention', 'cancelled'];

export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database;
  /** The events table is in this file: audit pages join it instead of keeping copies. */
  readonly joinsEvents: boolean;
  private readonly generations = new Map<string, SqliteGeneration>();

  /** `path`: a file (its folder is created) or ':memory:'. */
  constructor(readonly path: string, options: { busyTimeoutMs?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(META_SQL);
    this.joinsEvents = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
  }

  current(): ReadModelGeneration {
    const name = this.meta('current');
    if (name) return this.generation(name);
    const created = this.db.transaction(() => {
      const again = this.meta('current');
      if (again) return again;
      this.db.exec(generationSql('g1'));
      this.setMeta('current', 'g1');
      this.setMeta('seq', '1');
      return 'g1';
    }).immediate();
    return this.generation(created);
  }

  createGeneration(): ReadModelGeneration {
    const name = this.db.transaction(() => {
      const building = this.meta('building');
      if (building && building !== this.meta('current')) this.db.exec(dropGenerationSql(building));
      const seq = Number(this.meta('seq') ?? '1') + 1;
      const g = `g${seq}`;
      this.db.exec(dropGenerationSql(g));
      this.db.exec(generationSql(g));
      this.setMeta('seq', String(seq));
      this.setMeta('building', g);
      this.db.prepare('DELETE FROM rm_meta WHERE key = ?').run(`${g}.checkpoint`);
      return g;
    }).immediate();
    this.generations.delete(name);
    return this.generation(name);
  }

  promote(generation: ReadModelGeneration): void {
    this.db.transaction(() => {
      const old = this.meta('current');
      this.setMeta('current', generation.name);
      this.db.prepare("DELETE FROM rm_meta WHERE key = 'building'").run();
      if (old && old !== generation.name) {
        this.db.exec(dropGenerationSql(old));
        this.db.prepare('DELETE FROM rm_meta WHERE key = ?').run(`${old}.checkpoint`);
      }
    }).immediate();
  }

  discard(generation: ReadModelGeneration): void {
    if (generation.name === this.meta('current')) return;
    this.db.transaction(() => {
      this.db.exec(dropGenerationSql(generation.name));
      if (this.meta('building') === generation.name) this.db.prepare("DELETE FROM rm_meta WHERE key = 'building'").run();
    }).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM rm_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO rm_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
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

interface StoredRow {
  stream: string;
  id: string;
  connection_id: string;
  payroll_uuid: string;
  status: PostingStatus;
  settled: bigint;
  first_position: bigint;
  last_position: bigint;
  view: string;
}

class SqliteGeneration implements ReadModelGeneration {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly name: string,
    private readonly joinsEvents: boolean,
    private readonly parent: SqliteReadModelStore,
  ) {}

  private sql(text: string): Database.Statement {
    const full = text.replace(/\{g\}/g, `rm_${this.name}`);
    let prepared = this.statements.get(full);
    if (!prepared) {
      prepared = this.db.prepare(full).safeIntegers(true);
      this.statements.set(full, prepared);
    }
    return prepared;
  }

  checkpoint(): bigint | undefined {
    const value = this.parent.meta(`${this.name}.checkpoint`);
    return value === undefined ? undefined : BigInt(value);
  }

  rows(streams: string[]): Map<string, PostingRow> {
    const out = new Map<string, PostingRow>();
    const one = this.sql('SELECT * FROM {g}_postings WHERE stream = ?');
    for (const stream of streams) {
      const row = one.get(stream) as StoredRow | undefined;
      if (row) out.set(stream, toRow(row));
    }
    return out;
  }

  owners(streams: string[]): Map<string, string> {
    const out = new Map<string, string>();
    const one = this.sql('SELECT connection_id FROM {g}_owners WHERE stream = ?');
    for (const stream of streams) {
      const row = one.get(stream) as { connection_id: string } | undefined;
      if (row) out.set(stream, row.connection_id);
    }
    return out;
  }

  commit(batch: ReadModelBatch): Array<{ from?: PostingStatus; to: PostingStatus }> {
    const existing = this.sql('SELECT status, last_position FROM {g}_postings WHERE stream = ?');
    // An update, not a REPLACE: only the indexes whose columns changed are touched.
    const insert = this.sql(
      'INSERT INTO {g}_postings (first_position, stream, id, connection_id, payroll_uuid, status, settled, last_position, events, view, journal_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const update = this.sql('UPDATE {g}_postings SET id = ?, connection_id = ?, payroll_uuid = ?, status = ?, settled = ?, last_position = ?, events = ?, view = ?, journal_position = ? WHERE stream = ?');
    const count = this.sql('INSERT INTO {g}_counts (status, n) VALUES (?, ?) ON CONFLICT(status) DO UPDATE SET n = n + excluded.n');
    const audit = this.sql('INSERT OR IGNORE INTO {g}_audit (connection_id, position, type, time_ms, event) VALUES (?, ?, ?, ?, ?)');
    const owner = this.sql('INSERT OR IGNORE INTO {g}_owners (stream, connection_id) VALUES (?, ?)');
    const changes: Array<{ from?: PostingStatus; to: PostingStatus }> = [];
    this.db
      .transaction(() => {
        for (const row of batch.rows) {
          const before = existing.get(row.stream) as { status: PostingStatus; last_position: bigint } | undefined;
          if (before && before.last_position >= row.lastPosition) continue;
          // Join mode: the journal stays in the log (the event at journal_position), not copied per row.
          const byReference = this.joinsEvents && row.journalPosition !== undefined;
          const view = byReference ? JSON.stringify({ ...row.view, journal: null }) : JSON.stringify(row.view);
          const values = [row.id, row.connectionId, row.payrollUuid, row.status, row.settled ? 1 : 0, row.lastPosition, row.view.events, view, byReference ? row.journalPosition : null];
          if (before) update.run(...values, row.stream);
          else insert.run(row.firstPosition, row.stream, ...values);
          if (before?.status === row.status) continue;
          if (before) count.run(before.status, -1);
          count.run(row.status, 1);
          changes.push(before ? { from: before.status, to: row.status } : { to: row.status });
        }
        for (const entry of batch.audit) {
          audit.run(entry.connectionId, entry.position, entry.type, entry.timeMs, this.joinsEvents ? null : JSON.stringify(entry.event));
        }
        for (const o of batch.owners) owner.run(o.stream, o.connectionId);
        const previous = this.checkpoint();
        if (previous === undefined || batch.checkpoint > previous) this.parent.setMeta(`${this.name}.checkpoint`, String(batch.checkpoint));
      })
      .immediate();
    return changes;
  }

  /** `SELECT … FROM` the postings (alias p) with the journal's event data beside each view (join mode). */
  private get viewsFrom(): string {
    return this.joinsEvents
      ? 'SELECT p.first_position, p.view, e.data AS journal_data FROM {g}_postings AS p LEFT JOIN events AS e ON e.position = p.journal_position'
      : 'SELECT p.first_position, p.view, NULL AS journal_data FROM {g}_postings AS p';
  }

  get(id: string): PostingView | null {
    const row = this.sql(`${this.viewsFrom} WHERE p.id = ? ORDER BY p.first_position DESC LIMIT 1`).get(id) as ViewRow | undefined;
    return row ? viewOf(row) : null;
  }

  list(query: PostingListQuery): { items: PostingView[]; next: string | null } {
    const where = ["p.id != ''"];
    const params: unknown[] = [];
    if (query.before !== undefined) {
      where.push('p.first_position < ?');
      params.push(query.before);
    }
    if (query.connectionId) {
      where.push('p.connection_id = ?');
      params.push(query.connectionId);
    }
    if (query.status) {
      where.push('p.status = ?');
      params.push(query.status);
    }
    if (query.payrollUuid) {
      where.push('p.payroll_uuid = ?');
      params.push(query.payrollUuid);
    }
    params.push(BigInt(query.limit + 1));
    const rows = this.sql(`${this.viewsFrom} WHERE ${where.join(' AND ')} ORDER BY p.first_position DESC LIMIT ?`).all(...params) as ViewRow[];
    const page = rows.slice(0, query.limit);
    const next = rows.length > query.limit ? String(page[page.length - 1]!.first_position) : null;
    return { items: page.map(viewOf), next };
  }

  unsettled(): Array<{ stream: string; lastPosition: bigint }> {
    return (this.sql('SELECT stream, last_position FROM {g}_postings WHERE settled = 0').all() as Array<{ stream: string; last_position: bigint }>).map((r) => ({
      stream: r.stream,
      lastPosition: r.last_position,
    }));
  }

  counts(): Record<PostingStatus, number> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<PostingStatus, number>;
    for (const row of this.sql('SELECT status, n FROM {g}_counts').all() as Array<{ status: PostingStatus; n: bigint }>) counts[row.status] = Number(row.n);
    return counts;
  }

  events(): number {
    const row = this.sql('SELECT COALESCE(SUM(events), 0) AS n FROM {g}_postings').get() as { n: bigint };
    return Number(row.n);
  }

  digest(): { rows: number; digest: string } {
    const hash = createHash('sha256');
    let rows = 0;
    hash.update('[');
    // The stored rows (a journal kept by reference counts as its position: same position, same journal).
    for (const row of this.sql('SELECT view, journal_position FROM {g}_postings ORDER BY id, first_position').iterate() as Iterable<{ view: string; journal_position: bigint | null }>) {
      if (rows > 0) hash.update(',');
      hash.update(row.journal_position === null ? row.view : `${row.view}@${row.journal_position}`);
      rows += 1;
    }
    hash.update(']');
    return { rows, digest: hash.digest('hex') };
  }

  auditPage(query: AuditIndexQuery): { items: AuditEvent[]; next: string | null } {
    const where = ['a.connection_id = ?', 'a.position > ?'];
    const params: unknown[] = [query.connectionId, query.after ?? 0n];
    if (query.type) {
      where.push('a.type = ?');
      params.push(query.type);
    }
    if (query.fromMs !== undefined) {
      where.push('a.time_ms >= ?');
      params.push(BigInt(query.fromMs));
    }
    if (query.toMs !== undefined) {
      where.push('a.time_ms <= ?');
      params.push(BigInt(query.toMs));
    }
    params.push(BigInt(query.limit));
    let items: AuditEvent[];
    if (this.joinsEvents) {
      const rows = this.sql(
        `SELECT e.* FROM {g}_audit AS a JOIN events AS e ON e.position = a.position WHERE ${where.join(' AND ')} ORDER BY a.position LIMIT ?`,
      ).all(...params) as Array<{ position: bigint; stream: string; revision: bigint; id: string; type: string; data: string; metadata: string; recorded_at: string }>;
      items = rows.map((r) => {
        const metadata = JSON.parse(r.metadata) as Record<string, unknown>;
        return {
          id: r.id,
          stream: r.stream,
          type: r.type,
          time: typeof metadata.at === 'string' ? metadata.at : r.recorded_at,
          recordedAt: r.recorded_at,
          revision: String(r.revision),
          position: String(r.position),
          data: JSON.parse(r.data) as unknown,
          metadata,
        };
      });
    } else {
      const rows = this.sql(`SELECT a.event FROM {g}_audit AS a WHERE ${where.join(' AND ')} ORDER BY a.position LIMIT ?`).all(...params) as Array<{ event: string }>;
      items = rows.map((r) => JSON.parse(r.event) as AuditEvent);
    }
    return { items, next: items.length === query.limit ? items[items.length - 1]!.position : null };
  }
}

interface ViewRow {
  first_position: bigint;
  view: string;
  journal_data: string | null;
}

function viewOf(row: ViewRow): PostingView {
  const view = JSON.parse(row.view) as PostingView;
  if (row.journal_data !== null) view.journal = (JSON.parse(row.journal_data) as { journal: PostingView['journal'] }).journal;
  return view;
}

function toRow(row: StoredRow): PostingRow {
  return {
    stream: row.stream,
    id: row.id,
    connectionId: row.connection_id,
    payrollUuid: row.payroll_uuid,
    status: row.status,
    settled: row.settled !== 0n,
    firstPosition: row.first_position,
    lastPosition: row.last_position,
    view: JSON.parse(row.view) as PostingView,
  };
}
