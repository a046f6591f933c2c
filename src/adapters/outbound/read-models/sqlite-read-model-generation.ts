/**
 * One generation of the read model in SQLite (see sqlite-read-model-store.ts): its tables are `rm_<g>_…`
 * (read-model-schema.ts); statements are prepared once per text.
 */
import type Database from 'better-sqlite3';
import type { PostingStatus } from '../../../domain/payroll-posting/state';
import type { AuditEvent } from '../../../application/payroll-posting/projections/audit-event';
import type { PostingView } from '../../../application/payroll-posting/projections/posting-view';
import type {
  AuditIndexQuery,
  AuditLogQuery,
  PostingListQuery,
  PostingRow,
  ReadModelBatch,
  ReadModelGeneration,
} from '../../../application/payroll-posting/projections/read-model-store.port';
import { connectionAuditPage, logAuditPage } from './sqlite-audit-pages';
import { insertMany } from './sqlite-bulk-insert';
import { isJournalInLog } from './bulk-build-readers';
import { generationDigest } from './sqlite-generation-digest';

const STATUSES: PostingStatus[] = ['pending', 'posted', 'failed', 'needs_attention', 'cancelled'];

/** What a generation needs from its store: the shared meta table (and the bulk build's write turn). */
export interface GenerationMeta {
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Runs a write transaction (a bulk build's parts take turns here, not in SQLite's sleeping busy wait). */
  writeTurn<T>(write: () => T): T;
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

export class SqliteGeneration implements ReadModelGeneration {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly name: string,
    private readonly joinsEvents: boolean,
    private readonly parent: GenerationMeta,
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
    // Join mode: through the log's index of the stream's positions (one of them is the row's first), so
    // a generation still loading without its stream index (a bulk build's) finds rows as fast.
    const one = this.sql(
      this.joinsEvents
        ? 'SELECT * FROM {g}_postings WHERE first_position IN (SELECT position FROM events WHERE stream = ?)'
        : 'SELECT * FROM {g}_postings WHERE stream = ?',
    );
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
    // By the primary key: a stream always folds to the same first position (see read-model-schema.ts).
    const existing = this.sql('SELECT stream, status, last_position FROM {g}_postings WHERE first_position = ?');
    // An update, not a REPLACE: only the indexes whose columns changed are touched.
    const insert = this.sql(
      'INSERT INTO {g}_postings (first_position, stream, id, connection_id, payroll_uuid, status, settled, last_position, events, view, journal_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const update = this.sql(
      'UPDATE {g}_postings SET id = ?, connection_id = ?, payroll_uuid = ?, status = ?, settled = ?, last_position = ?, events = ?, view = ?, journal_position = ? WHERE first_position = ?',
    );
    const count = this.sql(
      'INSERT INTO {g}_counts (status, n) VALUES (?, ?) ON CONFLICT(status) DO UPDATE SET n = n + excluded.n',
    );
    const owner = this.sql('INSERT OR IGNORE INTO {g}_owners (stream, connection_id) VALUES (?, ?)');
    // A generation stored before the whole log's index existed has no table for it (it is being rebuilt).
    const hasLog = this.hasLogIndex();
    const changes: Array<{ from?: PostingStatus; to: PostingStatus }> = [];
    const sql = (text: string): Database.Statement => this.sql(text);
    const write = this.db.transaction(() => {
      for (const row of batch.rows) {
        const before = existing.get(row.firstPosition) as
          { stream: string; status: PostingStatus; last_position: bigint } | undefined;
        if (before && before.stream !== row.stream)
          throw new Error(`${row.stream}: position ${row.firstPosition} already holds ${before.stream}'s row`);
        if (before && before.last_position >= row.lastPosition) continue;
        // Join mode: the journal stays in the log (the event at journal_position), not copied per row.
        const byReference = this.joinsEvents && row.journalPosition !== undefined;
        if (!byReference && isJournalInLog(row.view.journal))
          throw new Error(`${row.stream}: its journal was left in the log, and the row does not say where`);
        const view = byReference ? JSON.stringify({ ...row.view, journal: null }) : JSON.stringify(row.view);
        const values = [
          row.id,
          row.connectionId,
          row.payrollUuid,
          row.status,
          row.settled ? 1 : 0,
          row.lastPosition,
          row.view.events,
          view,
          byReference ? row.journalPosition : null,
        ];
        if (before) update.run(...values, row.firstPosition);
        else insert.run(row.firstPosition, row.stream, ...values);
        if (before?.status === row.status) continue;
        if (before) count.run(before.status, -1);
        count.run(row.status, 1);
        changes.push(before ? { from: before.status, to: row.status } : { to: row.status });
      }
      // Join mode stores no copy (a page joins the log); otherwise each event's JSON once per batch.
      const json = new Map<bigint, string>();
      const copyOf = (entry: { position: bigint; event: () => AuditEvent }): string | null => {
        if (this.joinsEvents) return null;
        let text = json.get(entry.position);
        if (text === undefined) json.set(entry.position, (text = JSON.stringify(entry.event())));
        return text;
      };
      insertMany(
        sql,
        'INSERT OR IGNORE INTO {g}_audit (connection_id, position, type, time_ms, event) VALUES',
        5,
        batch.audit,
        (e) => [e.connectionId, e.position, e.type, e.timeMs, copyOf(e)],
      );
      for (const o of batch.owners) owner.run(o.stream, o.connectionId);
      if (hasLog)
        insertMany(sql, 'INSERT OR IGNORE INTO {g}_log (position, type, time_ms, event) VALUES', 4, batch.log, (e) => [
          e.position,
          e.type,
          e.timeMs,
          copyOf(e),
        ]);
      // A generation being rebuilt shows it is still written (the rebuild lease: see createGeneration).
      if (this.parent.meta('building') === this.name) this.parent.setMeta('building.at', String(Date.now()));
      const previous = this.checkpoint();
      if (batch.checkpoint !== undefined && (previous === undefined || batch.checkpoint > previous))
        this.parent.setMeta(`${this.name}.checkpoint`, String(batch.checkpoint));
    });
    this.parent.writeTurn(() => write.immediate());
    return changes;
  }

  /** `SELECT … FROM` the postings (alias p) with the journal's event data beside each view (join mode). */
  private get viewsFrom(): string {
    return this.joinsEvents
      ? 'SELECT p.first_position, p.view, e.data AS journal_data FROM {g}_postings AS p LEFT JOIN events AS e ON e.position = p.journal_position'
      : 'SELECT p.first_position, p.view, NULL AS journal_data FROM {g}_postings AS p';
  }

  get(id: string): PostingView | null {
    const row = this.sql(`${this.viewsFrom} WHERE p.id = ? ORDER BY p.first_position DESC LIMIT 1`).get(id) as
      ViewRow | undefined;
    return row ? viewOf(row) : null;
  }

  list(query: PostingListQuery): { items: PostingView[]; next: string | null } {
    const where = ["p.id != ''"];
    const params: unknown[] = [];
    const conditions: Array<[string, unknown]> = [
      ['p.first_position < ?', query.before],
      ['p.connection_id = ?', query.connectionId || undefined],
      ['p.status = ?', query.status || undefined],
      ['p.payroll_uuid = ?', query.payrollUuid || undefined],
    ];
    for (const [condition, value] of conditions) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    if (query.accrual) {
      // No index: the connection's rows are read newest first until the page fills; instr skips the JSON
      // parse of every view without accruals (most of them).
      where.push(
        `instr(p.view, '"accruals":[') > 0 AND EXISTS (SELECT 1 FROM json_each(p.view, '$.accruals') AS a WHERE json_extract(a.value, '$.status') = ?)`,
      );
      params.push(query.accrual);
    }
    params.push(BigInt(query.limit + 1));
    const rows = this.sql(`${this.viewsFrom} WHERE ${where.join(' AND ')} ORDER BY p.first_position DESC LIMIT ?`).all(
      ...params,
    ) as ViewRow[];
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const next = rows.length > query.limit && last ? String(last.first_position) : null;
    return { items: page.map(viewOf), next };
  }

  unsettled(): Array<{ stream: string; lastPosition: bigint }> {
    return (
      this.sql('SELECT stream, last_position FROM {g}_postings WHERE settled = 0').all() as Array<{
        stream: string;
        last_position: bigint;
      }>
    ).map((r) => ({
      stream: r.stream,
      lastPosition: r.last_position,
    }));
  }

  counts(): Record<PostingStatus, number> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<PostingStatus, number>;
    for (const row of this.sql('SELECT status, n FROM {g}_counts').all() as Array<{ status: PostingStatus; n: bigint }>)
      counts[row.status] = Number(row.n);
    return counts;
  }

  digest(): Promise<{ rows: number; events: number; digest: string }> {
    return generationDigest(this.db, this.name);
  }

  auditPage(query: AuditIndexQuery): { items: AuditEvent[]; next: string | null } {
    return connectionAuditPage((text) => this.sql(text), this.joinsEvents, query);
  }

  private logIndexed = false;

  hasLogIndex(): boolean {
    // Once there, it stays (a generation's tables go only with the whole generation).
    this.logIndexed ||=
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`rm_${this.name}_log`) !==
      undefined;
    return this.logIndexed;
  }

  logPage(query: AuditLogQuery): { items: AuditEvent[]; next: string | null } {
    return logAuditPage((text) => this.sql(text), this.joinsEvents, query);
  }
}

interface ViewRow {
  first_position: bigint;
  view: string;
  journal_data: string | null;
}

function viewOf(row: ViewRow): PostingView {
  const view = JSON.parse(row.view) as PostingView;
  if (row.journal_data !== null)
    view.journal = (JSON.parse(row.journal_data) as { journal: PostingView['journal'] }).journal;
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
