/**
 * How a bulk build's parts (bulk-build.worker.ts) read the log: each only what its part needs of an event,
 * straight from the `events` table (join mode: the log is in the read model's file).
 */
import type Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../../../application/ports/event-store.port';
import { STREAM_PREFIX } from '../../../domain/payroll-posting/events';
import { ACCRUAL_STREAM_PREFIX } from '../../../domain/payroll-accrual/events';

export type PageOfLog = (after: bigint, limit: number) => RecordedEvent[];

/** The posting events whose journal a join-mode row keeps by position (`journal_position`), not by copy. */
const JOURNAL_TYPES = ['JournalBuilt', 'ReversalJournalBuilt'];

/** What stands for a journal left in the log (see `postingEvents`). */
export interface JournalInLog {
  inLog: true;
}

export const isJournalInLog = (journal: unknown): journal is JournalInLog =>
  typeof journal === 'object' && journal !== null && (journal as Partial<JournalInLog>).inLog === true;

/**
 * Pages of the posting and accrual streams' events, as the log has them except for the journals of
 * JOURNAL_TYPES: SQLite puts `{ "inLog": true }` in the journal's place (a fresh object per event, as
 * parsed). The fold only carries a journal along (the view's, by identity), and
 * a join-mode row stores the journal's position instead: so the journal — most of a posting's bytes —
 * is never parsed here. (The generation refuses to store a stand-in as a view's journal.)
 */
export function postingEvents(db: Database.Database): PageOfLog {
  const page = db
    .prepare(
      `SELECT position, stream, revision, id, type, metadata, recorded_at,
        CASE WHEN type IN (${JOURNAL_TYPES.map(sqlText).join(', ')})
          THEN json_set(json_remove(data, '$.journal'), '$.journal', json('{"inLog":true}')) ELSE data END AS data
       FROM events
       WHERE position > ? AND (${[STREAM_PREFIX, ACCRUAL_STREAM_PREFIX]
         .map((p) => `substr(stream, 1, ${p.length}) = ${sqlText(p)}`)
         .join(' OR ')})
       ORDER BY position LIMIT ?`,
    )
    .safeIntegers(true);
  return (after, limit) =>
    (page.all(after, BigInt(limit)) as PostingEventRow[]).map((r) => recorded(r, JSON.parse(r.data) as unknown));
}

/** A constant of ours as an SQL string literal (names and prefixes: letters and dashes only). */
function sqlText(text: string): string {
  if (!/^[A-Za-z-]+$/.test(text)) throw new Error(`not a plain name: ${text}`);
  return `'${text}'`;
}

/**
 * Pages of the log with what the audit index needs of each event: everything but its data, of which only
 * a string `connectionId` (read by SQLite, so the data — most of the log's bytes — is never copied out
 * or parsed here). The audit view built from such an event would be wrong: join mode never builds one.
 */
export function indexedFields(db: Database.Database): PageOfLog {
  const page = db
    .prepare(
      `SELECT position, stream, revision, id, type, metadata, recorded_at,
        CASE WHEN instr(data, '"connectionId"') > 0 AND json_type(data, '$.connectionId') = 'text'
          THEN json_extract(data, '$.connectionId') END AS connection_id
       FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    )
    .safeIntegers(true);
  return (after, limit) =>
    (page.all(after, BigInt(limit)) as IndexedRow[]).map((r) =>
      recorded(r, r.connection_id === null ? {} : { connectionId: r.connection_id }),
    );
}

interface LogRow {
  position: bigint;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  metadata: string;
  recorded_at: string;
}
interface PostingEventRow extends LogRow {
  data: string;
}
interface IndexedRow extends LogRow {
  connection_id: string | null;
}

/** One literal per event (a spread of a partial one measured slower: a page is 1,000 of them). */
const recorded = (r: LogRow, data: unknown): RecordedEvent => ({
  id: r.id,
  type: r.type,
  stream: r.stream,
  revision: r.revision,
  position: r.position,
  recordedAt: r.recorded_at,
  metadata: JSON.parse(r.metadata) as EventMetadata,
  data,
});
