import type { PostingStatus } from '../../../domain/payroll-posting/state';
import type { EventStore, RecordedEvent, Subscription } from '../../ports/event-store.port';
import { toAuditEvent, type AuditEvent } from './audit-event';
import { connectionsOf, learnedOwner, ownedPrefixOf, timeOf } from './audit-owners';
import { foldAccrualEvents } from './accrual-fold';
import { foldPosting, foldStream, isPostingRecord, restoreAccruals, toRow, type FoldedPosting } from './posting-fold';
import type { AuditEntry, BuildPart, BulkBuild, LogEntry, ReadModelGeneration } from './read-model-store.port';
import { required } from '../../../domain/shared/required';
import { StreamOwners, type StreamOwner } from './stream-owners';

/**
 * Events folded per write transaction at most while catching up on this thread (a page of the catch-up is
 * 500). 8,000 was tried: no gain that the shared box could show, and a longer turn of the event loop.
 */
const MAX_BATCH = 2000;
/**
 * A bulk build's part: events read per page, and per write transaction. The parts share the write lock
 * with each other and with the main thread's writers (who wait for it on their event loop, but go first:
 * write-turn.ts), so a transaction stays short (~40 ms at 5,000 events). 500 made ten times the commits,
 * each writing the same index and tail pages to the WAL again: measured at 100k postings, ~10 % slower.
 */
const BULK_PAGE = 1000;
const BULK_BATCH = 5000;

/** The event as the audit endpoints show it, built (and redacted) once, and only when a store asks. */
function lazyAuditEvent(event: RecordedEvent): () => AuditEvent {
  let built: AuditEvent | undefined;
  return () => (built ??= toAuditEvent(event));
}

export type StatusChanges = Array<{ from?: PostingStatus; to: PostingStatus }>;

/**
 * Keeps one generation of the read model up to date: a catch-up subscription over the whole log from the
 * generation's checkpoint; events are folded in batches (one write transaction per batch, at most one
 * turn of the event loop late) into posting rows and audit-index entries.
 *
 * Memory holds only the postings whose pipeline is not finished (the scheduler needs their state); a
 * settled posting lives in its row. A row that must move on after it settled (a replay, a reversal) is
 * re-folded from its own stream.
 */
export class GenerationProjector {
  /** Unsettled postings by stream: their state, for the scheduler and the next event. */
  readonly open = new Map<string, FoldedPosting>();
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly owners: StreamOwners;
  private subscription?: Subscription;
  /** A write that failed while live: the model stops moving (and /health/ready says so) rather than skip events. */
  failed?: Error;
  private stopping = false;
  private stopped = false;
  live = false;
  checkpoint: bigint | undefined;
  /** Events read from the log by this projector (the restart test's counter). */
  delivered = 0;

  private bulk?: AbortController;

  constructor(
    private readonly store: EventStore,
    readonly generation: ReadModelGeneration,
    /** Told the status changes each write made (the gauges); replaced when a rebuilt generation takes over. */
    public onChanges: (changes: StatusChanges) => void,
    private readonly options: {
      /** A far-behind start (a cold build, a rebuild) folds the bulk of the log with this first. */
      bulkBuild?: BulkBuild;
      /** Only this part (a bulk build's worker): see `foldRange`. */
      part?: BuildPart;
    } = {},
  ) {
    this.owners = new StreamOwners(options.part === 'audit');
  }

  /** Loads the unsettled postings, then catches up from the checkpoint; resolves once live. */
  async start(): Promise<void> {
    this.checkpoint = this.generation.checkpoint();
    await this.bulkBuild();
    if (this.stopping) return;
    const unsettled = this.generation.unsettled().map((u) => u.stream);
    const rows = this.generation.rows(unsettled);
    for (const stream of unsettled) {
      const upTo = this.checkpoint ?? -1n;
      const folded = restoreAccruals(
        foldStream((await this.store.readStream(stream)).filter((e) => e.position <= upTo)),
        rows.get(stream),
      );
      if (folded) this.open.set(stream, folded);
    }
    if (this.stopping) return;
    await new Promise<void>((resolve, reject) => {
      this.subscription = this.store.subscribeToAll(
        async (event) => {
          this.delivered += 1;
          this.buffer.push(event);
          // Catching up: one transaction per MAX_BATCH events (onLive writes the rest). Live: at the next turn.
          if (this.buffer.length >= MAX_BATCH) await this.flush();
          else if (this.live) this.scheduleFlush();
        },
        {
          ...(this.checkpoint !== undefined ? { fromPosition: this.checkpoint } : {}),
          onLive: () => {
            this.flush().then(() => {
              this.live = true;
              resolve();
            }, reject);
          },
          onError: reject,
        },
      );
    });
  }

  /**
   * Up to the head as it is now, in parallel parts off this thread when the store offers it (it decides
   * whether the distance is worth it); then the checkpoint moves to that head and `start` goes on from
   * there. A part that fails costs nothing but time: the catch-up below does the rest (idempotently).
   */
  private async bulkBuild(): Promise<void> {
    const bulk = this.options.bulkBuild;
    if (!bulk) return;
    const head = await this.store.headPosition();
    if (head === undefined || (this.checkpoint !== undefined && head <= this.checkpoint)) return;
    this.bulk = new AbortController();
    try {
      const read = await bulk(this.generation.name, this.checkpoint, head, this.bulk.signal);
      if (read === undefined || this.stopping) return;
      this.delivered += read;
      this.generation.commit({ rows: [], audit: [], owners: [], log: [], checkpoint: head });
      this.checkpoint = head;
    } catch (error) {
      if (!this.stopping) console.error(`read-model bulk build failed, catching up here instead: ${String(error)}`);
    } finally {
      this.bulk = undefined;
    }
  }

  /**
   * One part of a bulk build (in a worker): folds the events after `from` up to `upTo`, committing every
   * BULK_BATCH events without moving the checkpoint. Returns the events read. `readPage`: pages of the
   * log with what the part needs of each event (the store's readers: the postings part's streams with
   * their journals left in the log, the audit part's events without their data).
   */
  async foldRange(
    from: bigint | undefined,
    upTo: bigint,
    readPage: (after: bigint, limit: number) => RecordedEvent[],
  ): Promise<number> {
    let after = from ?? 0n;
    let read = 0;
    while (after < upTo && !this.stopping) {
      const page = readPage(after, BULK_PAGE).filter((e) => e.position <= upTo);
      if (page.length === 0) break;
      read += page.length;
      this.buffer.push(...page);
      after = page[page.length - 1].position;
      if (this.buffer.length < BULK_BATCH) continue;
      await this.flush();
      this.writeOwners(false);
    }
    await this.flush();
    if (!this.stopping) this.writeOwners(true);
    return read;
  }

  /** Stops delivery and writes what was delivered; afterwards nothing touches the generation. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.bulk?.abort();
    await this.subscription?.stop();
    await this.flush().catch(() => undefined);
    this.stopped = true;
  }

  /** Applies what is buffered (also what arrives while a previous flush is running, in order). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.apply());
    return this.flushing;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush().catch((error: unknown) => {
        this.failed = error instanceof Error ? error : new Error(String(error));
      });
    });
  }

  private async apply(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.stopped) return;
    const events = this.buffer;
    this.buffer = [];
    if (events.length === 0) return;

    // A stream whose first event (revision 0) is in this batch has no row and no owner yet: no need to look.
    const startedHere = new Set(events.filter((e) => e.revision === 0n).map((e) => e.stream));
    const part = this.options.part;
    const touched = part === 'audit' ? new Map<string, FoldedPosting>() : await this.foldPostings(events, startedHere);
    const { audit, log, learned } =
      part === 'postings' ? { audit: [], log: [], learned: [] } : this.indexEvents(events, startedHere);

    const rows = [...touched.values()].map(toRow);
    const checkpoint = part ? undefined : events[events.length - 1].position;
    const changes = this.generation.commit({ rows, audit, owners: learned, log, checkpoint });
    if (checkpoint !== undefined) this.checkpoint = checkpoint;
    for (const row of rows) {
      if (row.settled) this.open.delete(row.stream);
      else this.open.set(row.stream, required(touched.get(row.stream), 'the touched row'));
    }
    // Also when nothing changed here: another instance on the same file may have written these rows (and
    // moved the shared counts) first.
    if (rows.length > 0) this.onChanges(changes);
  }

  /** The batch's posting and accrual events folded into the postings they move (by stream). */
  private async foldPostings(events: RecordedEvent[], startedHere: Set<string>): Promise<Map<string, FoldedPosting>> {
    const postingEvents = events.filter(isPostingRecord);
    const unknown = [...new Set(postingEvents.map((e) => e.stream))].filter(
      (s) => !startedHere.has(s) && !this.open.has(s),
    );
    const stored = this.generation.rows(unknown);
    const touched = new Map<string, FoldedPosting>();
    for (const event of postingEvents) {
      let folded = touched.get(event.stream) ?? this.open.get(event.stream);
      if (!folded) {
        const row = stored.get(event.stream);
        if (row)
          folded = restoreAccruals(
            foldStream((await this.store.readStream(event.stream)).filter((e) => e.position <= row.lastPosition)),
            row,
          );
      }
      // Already folded in (another instance on the same file wrote it first).
      if (folded && folded.lastPosition >= event.position) continue;
      touched.set(event.stream, foldPosting(folded, event));
    }
    await foldAccrualEvents(this.store, this.generation, events, touched, this.open);
    return touched;
  }

  /** The batch's audit-index entries (per connection), whole-log entries and newly learned stream owners. */
  private indexEvents(
    events: RecordedEvent[],
    startedHere: Set<string>,
  ): { audit: AuditEntry[]; log: LogEntry[]; learned: StreamOwner[] } {
    const missing = [...new Set(events.map((e) => e.stream))].filter(
      (s) => !startedHere.has(s) && ownedPrefixOf(s) && !this.owners.has(s),
    );
    if (missing.length > 0)
      for (const [stream, owner] of this.generation.owners(missing)) this.owners.remember(stream, owner);
    const learned: StreamOwner[] = [];
    const audit: AuditEntry[] = [];
    const log: LogEntry[] = [];
    for (const event of events) {
      const view = lazyAuditEvent(event);
      const timeMs = timeOf(event);
      log.push({ position: event.position, type: event.type, timeMs, event: view });
      if (!this.owners.has(event.stream)) {
        const owner = learnedOwner(event);
        const written = owner === undefined ? undefined : this.owners.learn(event.stream, owner);
        if (written) learned.push(written);
      }
      for (const connectionId of connectionsOf(event, this.owners.get(event.stream)))
        audit.push({ connectionId, position: event.position, type: event.type, timeMs, event: view });
    }
    return { audit, log, learned };
  }

  /** Writes the held stream owners that are due (see stream-owners.ts). */
  private writeOwners(all: boolean): void {
    for (const owners of this.owners.due(all)) this.generation.commit({ rows: [], audit: [], owners, log: [] });
  }
}
