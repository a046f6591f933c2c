import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../../application/ports/event-store.port';
import type { NormalizedFilter } from '../read-filter';
import { toRecorded, type EventRow } from './event-rows';
import { required } from '../../../../domain/shared/required';

/**
 * One page of the log after a position, filtered by stream prefix and event type: by position, or through
 * the stream index when the prefixes hold few events (see `sparse`). Shared by readAll and subscriptions.
 */
export class PageReader {
  constructor(
    private readonly statement: (sql: string) => Database.Statement,
    private readonly head: () => bigint | undefined,
  ) {}

  read(filter: NormalizedFilter, after: bigint, limit: number): RecordedEvent[] {
    if (filter.streamPrefixes && this.sparse(filter.streamPrefixes, after))
      return this.readSparsePage(filter, after, limit);
    const where: string[] = ['position > ?'];
    const params: unknown[] = [after];
    if (filter.streamPrefixes) {
      // substr, not LIKE: LIKE is case-insensitive for ASCII and treats % and _ as wildcards.
      where.push(`(${filter.streamPrefixes.map(() => 'substr(stream, 1, length(?)) = ?').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix, prefix);
    }
    return this.page(where, params, filter, limit);
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
      const row = this.statement(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE stream >= ? AND stream < ? LIMIT ?)',
      ).get(prefix, prefixEnd(prefix), BigInt(cap - total + 1)) as { n: bigint };
      total += Number(row.n);
      if (total > cap) return false;
    }
    return true;
  }

  /** The same page read through the stream index (a range per prefix), then ordered by position. */
  private readSparsePage(filter: NormalizedFilter, after: bigint, limit: number): RecordedEvent[] {
    const prefixes = required(filter.streamPrefixes, 'the stream prefixes of a sparse read');
    const where: string[] = [
      `(${prefixes.map(() => '(stream >= ? AND stream < ? AND substr(stream, 1, length(?)) = ?)').join(' OR ')})`,
      '+position > ?',
    ];
    const params: unknown[] = [];
    for (const prefix of prefixes) params.push(prefix, prefixEnd(prefix), prefix, prefix);
    params.push(after);
    return this.page(where, params, filter, limit);
  }

  /** The page under `where` (plus the event-type filter), in position order. */
  private page(where: string[], params: unknown[], filter: NormalizedFilter, limit: number): RecordedEvent[] {
    if (filter.eventTypes) {
      where.push(`type IN (${[...filter.eventTypes].map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    params.push(BigInt(limit));
    const rows = this.statement(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`).all(
      ...params,
    ) as EventRow[];
    return rows.map(toRecorded);
  }
}

/** A prefix with at most this many events in all may be read through the stream index (see `sparse`). */
const SPARSE_LIMIT = 2000;

/** The smallest string above every string that starts with `prefix` (BINARY order): its last code unit + 1. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
