import type { PostingStatus } from '../../../domain/payroll-posting/state';
import type { AuditEvent } from './audit-event';
import type { PostingView } from './posting-view';

/**
 * Where the postings read model and the audit index live between starts (an adapter: SQLite). The
 * application folds events into rows; the store keeps rows, counts and the checkpoint, indexed for the
 * API's queries, so neither a start nor a request has to re-read the log.
 *
 * Generations: a rebuild writes a fresh generation while the current one keeps answering, then
 * `promote`s it in one transaction.
 */
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

export interface PostingRow {
  stream: string;
  /** `<connectionId>:<payrollUuid>`, '' for a malformed stream (kept out of listings). */
  id: string;
  connectionId: string;
  payrollUuid: string;
  status: PostingStatus;
  settled: boolean;
  /** Global position of the stream's first event: orders the list newest first, and is the page cursor. */
  firstPosition: bigint;
  /** Global position of the last event folded in (rows are only ever replaced by a later one). */
  lastPosition: bigint;
  view: PostingView;
  /** The log position of the event holding `view.journal` (null: none); a store may keep this instead of a copy. */
  journalPosition?: bigint | null;
}

/** One event's entry in the audit index: the connection it belongs to, its position, type and time. */
export interface AuditEntry {
  connectionId: string;
  position: bigint;
  type: string;
  /** metadata.at (else recordedAt) in ms since the epoch. */
  timeMs: number;
  /**
   * The whole event, for stores that cannot read the log by position themselves (see the adapter): a
   * function, so a store that joins the log never pays for building (and redacting) it.
   */
  event: () => AuditEvent;
}

/** One event's entry in the whole log's audit index (every event, whatever it belongs to). */
export interface LogEntry {
  position: bigint;
  type: string;
  timeMs: number;
  /** As AuditEntry.event (called only by a store that keeps copies). */
  event: () => AuditEvent;
}

/** A page of the whole log's audit index: filters as the API's, positions after `after`. */
export interface AuditLogQuery {
  type?: string;
  fromMs?: number;
  toMs?: number;
  after?: bigint;
  limit: number;
}

export interface AuditIndexQuery {
  connectionId: string;
  type?: string;
  fromMs?: number;
  toMs?: number;
  after?: bigint;
  limit: number;
}

export interface PostingListQuery {
  connectionId?: string;
  status?: string;
  payrollUuid?: string;
  /** Only postings with an accrual in this status (`view.accruals[].status`). */
  accrual?: string;
  /** Only rows whose firstPosition is below this (the previous page's `next`). */
  before?: bigint;
  limit: number;
}

export interface ReadModelBatch {
  rows: PostingRow[];
  audit: AuditEntry[];
  /** The stream → connection owners learned in this batch (see `owners`). */
  owners: Array<{ stream: string; connectionId: string }>;
  /** Every event of the batch, for the whole log's audit index. */
  log: LogEntry[];
  /** Absent: one part of a bulk build (see BulkBuild), which leaves the checkpoint to the projector. */
  checkpoint?: bigint;
}

/**
 * What one part of a bulk build writes: `postings` the posting rows and counts (posting and accrual
 * streams only), `audit` the audit index, the stream owners and the whole log's index (every event).
 */
export type BuildPart = 'postings' | 'audit';

/**
 * Folds the log's events after `from` up to `upTo` into the named generation off the main thread, its
 * parts side by side (the embedded store: worker threads with their own connections to the same file),
 * and leaves the checkpoint where it was: the projector then moves it to `upTo` and catches up the rest
 * as usual. Resolves the events read, or undefined when not done (not worth it for so few events, not
 * offered here, or aborted); rejects when a part failed (what it wrote stays: every write is idempotent).
 */
export type BulkBuild = (
  generation: string,
  from: bigint | undefined,
  upTo: bigint,
  signal: AbortSignal,
) => Promise<number | undefined>;

/** One generation of the read model. Synchronous but for `digest` (a whole-table pass): the adapter is an embedded database. */
export interface ReadModelGeneration {
  readonly name: string;
  checkpoint(): bigint | undefined;
  /** The rows of these streams that exist. */
  rows(streams: string[]): Map<string, PostingRow>;
  /** Stream owners recorded earlier, for events that do not name their connection. */
  owners(streams: string[]): Map<string, string>;
  /**
   * Atomically: each row replaces the stored one only when its lastPosition is later (two instances on
   * one file apply the same log), counts move with the replaced rows, audit entries are added once, the
   * checkpoint only moves forward. Returns the status changes actually made (for the gauges).
   */
  commit(batch: ReadModelBatch): Array<{ from?: PostingStatus; to: PostingStatus }>;
  get(id: string): PostingView | null;
  list(query: PostingListQuery): { items: PostingView[]; next: string | null };
  /** Streams whose pipeline is not finished, with the row's lastPosition. */
  unsettled(): Array<{ stream: string; lastPosition: bigint }>;
  counts(): Record<PostingStatus, number>;
  /**
   * Rows, their events (posting events applied, summed over rows), and a sha256 over every row's view in id order (equal digests: identical read
   * models), read from one snapshot without holding the event loop for the whole table.
   */
  digest(): Promise<{ rows: number; events: number; digest: string }>;
  auditPage(query: AuditIndexQuery): { items: AuditEvent[]; next: string | null };
  /** False for a generation made before the whole log's audit index existed (it must be rebuilt). */
  hasLogIndex(): boolean;
  /** A page of every event by position, from the whole log's audit index. */
  logPage(query: AuditLogQuery): { items: AuditEvent[]; next: string | null };
}

/** Another rebuild (here or in another instance on the same store) is still writing its generation. */
export class RebuildInProgressError extends Error {
  constructor(readonly generation: string) {
    super(`a rebuild is already running (generation ${generation})`);
    this.name = 'RebuildInProgressError';
  }
}

export interface ReadModelStore {
  /** The generation the API reads (created empty on first use). */
  current(): ReadModelGeneration;
  /** The current generation's name, as stored now (other instances on the same file may move it). */
  currentName(): string | undefined;
  /**
   * A new, empty generation to rebuild into (replacing an unfinished one whose rebuild stopped writing);
   * RebuildInProgressError while another rebuild is still writing.
   */
  createGeneration(): ReadModelGeneration;
  /** Makes `generation` current; the previous one is retired (still there for instances that have not followed yet). */
  promote(generation: ReadModelGeneration): void;
  /** Drops the generations retired at least `olderThanMs` ago; returns their names. */
  dropRetired(olderThanMs: number): string[];
  /** Drops an unfinished generation (a rebuild that failed or was stopped). */
  discard(generation: ReadModelGeneration): void;
  /** A long catch-up or a rebuild in parallel parts (optional: stores that can, see BulkBuild). */
  readonly bulkBuild?: BulkBuild;
  close(): void;
}
