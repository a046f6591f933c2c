/**
 * Audit pages from the read model's indexes (never the log): one connection's events (`{g}_audit`, keyed
 * by connection and position) or every event (`{g}_log`, keyed by position, indexed by type and by time).
 * In join mode (the log is in this file) a page joins `events` by position; otherwise the index rows
 * carry each event's JSON.
 */
import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../../application/payroll-posting/projections/audit-event';
import type {
  AuditIndexQuery,
  AuditLogQuery,
} from '../../../application/payroll-posting/projections/read-model-store.port';
import type { EventRow } from '../event-store/sqlite/event-rows';

type Sql = (text: string) => Database.Statement;
type Page = { items: AuditEvent[]; next: string | null };

/**
 * A time filter reads the time index when at most this many events match it after the cursor (they are
 * sorted by position: bounded); more than that, and the page is read in position order, filtering on the
 * index rows — with so many matches a page fills before far.
 */
export const TIME_INDEX_SORT_LIMIT = 2000;

function fromEventRow(r: EventRow): AuditEvent {
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
}

function filters(
  alias: string,
  query: { type?: string; fromMs?: number; toMs?: number; after?: bigint },
): { where: string[]; params: unknown[] } {
  const where = [`${alias}.position > ?`];
  const params: unknown[] = [query.after ?? 0n];
  if (query.type) {
    where.push(`${alias}.type = ?`);
    params.push(query.type);
  }
  if (query.fromMs !== undefined) {
    where.push(`${alias}.time_ms >= ?`);
    params.push(BigInt(query.fromMs));
  }
  if (query.toMs !== undefined) {
    where.push(`${alias}.time_ms <= ?`);
    params.push(BigInt(query.toMs));
  }
  return { where, params };
}

/** `FROM <index>` … `ORDER BY position LIMIT ?` as events, joined to the log or from the index's JSON. */
function read(sql: Sql, joinsEvents: boolean, from: string, where: string[], params: unknown[], limit: number): Page {
  const alias = 'a';
  let items: AuditEvent[];
  if (joinsEvents) {
    const rows = sql(
      `SELECT e.* FROM ${from} JOIN events AS e ON e.position = ${alias}.position WHERE ${where.join(' AND ')} ORDER BY ${alias}.position LIMIT ?`,
    ).all(...params, BigInt(limit)) as EventRow[];
    items = rows.map(fromEventRow);
  } else {
    const rows = sql(
      `SELECT ${alias}.event FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${alias}.position LIMIT ?`,
    ).all(...params, BigInt(limit)) as Array<{ event: string }>;
    items = rows.map((r) => JSON.parse(r.event) as AuditEvent);
  }
  const last = items.at(-1);
  return { items, next: items.length === limit && last ? last.position : null };
}

/** One connection's events (the `{g}_audit` index, by connection and position). */
export function connectionAuditPage(sql: Sql, joinsEvents: boolean, query: AuditIndexQuery): Page {
  const { where, params } = filters('a', query);
  return read(
    sql,
    joinsEvents,
    '{g}_audit AS a',
    ['a.connection_id = ?', ...where],
    [query.connectionId, ...params],
    query.limit,
  );
}

/** Which index a page of the whole log reads (exported for the tests). */
export function logAccess(sql: Sql, query: AuditLogQuery): 'time' | 'type' | 'position' {
  if (query.fromMs !== undefined || query.toMs !== undefined) {
    const { where, params } = filters('a', query);
    const counted = sql(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM {g}_log AS a INDEXED BY {g}_log_time WHERE ${where.join(' AND ')} LIMIT ${TIME_INDEX_SORT_LIMIT + 1})`,
    ).get(...params) as { n: bigint };
    if (Number(counted.n) <= TIME_INDEX_SORT_LIMIT) return 'time';
  }
  return query.type ? 'type' : 'position';
}

/** Every event (the `{g}_log` index): by type, by time or by position, as `logAccess` decides. */
export function logAuditPage(sql: Sql, joinsEvents: boolean, query: AuditLogQuery): Page {
  const access = logAccess(sql, query);
  const from =
    access === 'time'
      ? '{g}_log AS a INDEXED BY {g}_log_time'
      : access === 'type'
        ? '{g}_log AS a INDEXED BY {g}_log_type'
        : '{g}_log AS a NOT INDEXED';
  const { where, params } = filters('a', query);
  return read(sql, joinsEvents, from, where, params, query.limit);
}
