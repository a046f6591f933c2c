/**
 * Month-end accrual, as its own process beside the posting saga (which it never touches): it follows the
 * log for `PayrollPosted`, plans the accruals the posted journal needs (one `payroll-accrual-…-<YYYY-MM>`
 * stream each), and drives each to its accrual journal and reversal in Acumatica — exactly once, like the
 * posting: look up by tag before every create, claim the create at the loaded revision, record what was
 * found or created. A closed period is recorded as skipped, with the reason. Resumable: a checkpoint on the
 * `PayrollPosted` subscription, and at start every unfinished accrual stream is driven again.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ACCRUAL_STREAM_PREFIX, type AccrualJournalKind } from '../../domain/payroll-accrual/events';
import {
  accrualAttemptFailed,
  claimAccrualCreation,
  completeAccrual,
  recordAccrualJournal,
  releaseAccrualJournal,
  skipAccrualJournal,
} from '../../domain/payroll-accrual/decide';
import { journalOf, nextAccrualWork, type PayrollAccrual } from '../../domain/payroll-accrual/state';
import type { Accepted } from '../../domain/shared/decision';
import { isReleasedStatus } from '../../domain/payroll-posting/decide';
import { postingStream } from '../../domain/payroll-posting/events';
import type { PayrollAccrualEvent } from '../../domain/payroll-accrual/events';
import {
  accrualAggregate,
  cancelledBeforeReason,
  closedPeriodReason,
  unfinishedAccrualStreams,
} from './accrual-streams';
import { AccrualPlanner, type AccrualHandler } from './accrual-planner';
import { CheckpointStore } from '../inbox/checkpoint-store';
import { classifyFailure } from '../payroll-posting/block-reasons';
import { nextAttemptAt, type RetrySettings } from '../payroll-posting/retry-policy';
import { backoffMs } from '../shared/backoff';
import { CommandHandler, type Loaded } from '../shared/command-handler';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { ACUMATICA, type AcumaticaApi } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import {
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '../ports/event-store.port';

export { ACCRUAL_STREAM_PREFIX };
const POSTING_STREAM_PREFIX = 'payroll-posting-';
const PLAN_ATTEMPTS = 5;
/** How often the accrual subscription's position is saved (as the inbox dispatcher's checkpoint). */
const CHECKPOINT_EVERY_MS = 2_000;
/** Load → decide → append attempts of one accrual command before its write_conflict. */
const WRITE_ATTEMPTS = 4;

type AccrualDecision = Accepted<PayrollAccrualEvent>;
type LoadedAccrual = Loaded<PayrollAccrual>;

export const ACCRUAL_SETTINGS = Symbol('ACCRUAL_SETTINGS');
export interface AccrualSettings {
  retry: RetrySettings;
  /** ACUMATICA_QUEUE_LIMIT_S in ms: how long after its send a queued create may still commit. */
  queueLimitMs: number;
}

@Injectable()
export class AccrualProcess implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly serializer = new KeyedSerializer();
  private readonly timers = new Set<NodeJS.Timeout>();
  private subscription?: Subscription;
  private checkpoint: CheckpointStore;
  /** The last position handled; saved every CHECKPOINT_EVERY_MS and at shutdown, not once per event. */
  private handled: bigint | undefined;
  private saver?: { stop: () => Promise<void> };
  private readonly accruals: AccrualHandler;
  private readonly planner: AccrualPlanner;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACUMATICA) private readonly acumatica: AcumaticaApi,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCRUAL_SETTINGS) private readonly config: AccrualSettings,
  ) {
    this.checkpoint = new CheckpointStore(store, 'checkpoint-payroll-accruals', clock);
    this.accruals = new CommandHandler(store, accrualAggregate, { maxAttempts: WRITE_ATTEMPTS });
    this.planner = new AccrualPlanner(store, connections, this.accruals, clock);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const from = await this.checkpoint.load();
      await this.resumeUnfinished();
      if (this.stopped) return;
      this.subscription = this.store.subscribeToAll((event) => this.onPosting(event), {
        fromPosition: from,
        // PayrollReversed: the payroll was cancelled after it was posted, so its accruals are undone too.
        // PostingReplayed: an operator replayed the posting, so its failed accruals are replayed too.
        filter: {
          streamPrefixes: [POSTING_STREAM_PREFIX],
          eventTypes: ['PayrollPosted', 'PayrollReversed', 'PostingReplayed'],
        },
      });
      this.saver = this.checkpoint.saveEvery(CHECKPOINT_EVERY_MS, () => this.handled);
    } catch {
      // The store is unreachable at start: the next start resumes from the checkpoint.
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.subscription?.stop();
    await this.serializer.idle();
    await this.saver?.stop();
  }

  /** Resolves when every accrual started so far has settled (tests). */
  idle(): Promise<void> {
    return this.serializer.idle();
  }

  /** Runs a stream now (an operator's replay). */
  resume(stream: string): void {
    this.kick(stream);
  }

  /** Plans the posting's accruals again with the mapping as it is now (a replay after a mapping fix). */
  async replan(connectionId: string, payrollUuid: string): Promise<void> {
    for (const s of await this.planner.plan(postingStream(connectionId, payrollUuid))) this.kick(s);
  }

  private async onPosting(event: RecordedEvent): Promise<void> {
    if (this.stopped) return;
    const { stream: postingStream, position, revision } = event;
    for (let attempt = 1; attempt <= PLAN_ATTEMPTS; attempt++) {
      try {
        const streams =
          event.type === 'PayrollReversed'
            ? await this.planner.cancel(postingStream, revision)
            : event.type === 'PostingReplayed'
              ? await this.planner.replay(postingStream, revision, replayMetadata(event))
              : await this.planner.plan(postingStream, revision);
        for (const s of streams) this.kick(s);
        break;
      } catch {
        if (attempt === PLAN_ATTEMPTS || this.stopped) break;
        await new Promise((r) =>
          setTimeout(r, backoffMs(attempt + 1, { baseMs: this.config.retry.baseMs, capMs: 5_000 })),
        );
      }
    }
    // Saved in the background: after a crash, up to that interval of postings is planned again (a no-op for
    // what was planned). One append per posted payroll made a first start on a long history write ~1M events.
    this.handled = position;
  }

  private async resumeUnfinished(): Promise<void> {
    for (const stream of await unfinishedAccrualStreams(this.store)) this.kick(stream);
  }

  private kick(stream: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.kick(stream);
      }, delayMs);
      t.unref?.();
      this.timers.add(t);
      return;
    }
    void this.serializer.run(stream, () => this.drive(stream)).catch(() => this.kick(stream, this.config.retry.baseMs));
  }

  /** Works the stream until it is done or has to wait; a lost append race just reads it again. */
  private async drive(stream: string): Promise<void> {
    for (let step = 0; step < 10 && !this.stopped; step++) {
      const loaded = await this.accruals.load(stream);
      const now = this.clock.now();
      const work = nextAccrualWork(loaded.state, now);
      if (work.kind === 'none') return;
      if (work.kind === 'complete') {
        if (await this.write(loaded, completeAccrual(loaded.state))) return;
        continue;
      }
      if (work.kind === 'wait') return this.kick(stream, Math.max(10, Date.parse(work.until) - now.getTime()));
      if (work.kind === 'release') await this.release(loaded, work.journal);
      else await this.post(loaded, work.journal, work.kind === 'settle');
    }
  }

  /** Finds or creates the journal; `settleOnly` (the payroll was cancelled): finds, or records that none was posted. */
  private async post(loaded: LoadedAccrual, kind: AccrualJournalKind, settleOnly = false): Promise<void> {
    const { state } = loaded;
    const journal = journalOf(state, kind);
    const connectionId = state.connectionId;
    if (!journal || !connectionId) return;
    try {
      const found = await this.acumatica.findJournalByTag(connectionId, journal.tag);
      if (found) {
        await this.write(loaded, recordAccrualJournal(state, kind, found.batchNbr, found.status, true));
        return;
      }
      if (settleOnly) {
        const reason = cancelledBeforeReason(kind, journal);
        await this.write(loaded, skipAccrualJournal(state, kind, 'payroll_cancelled', reason));
        return;
      }
      // The posting's create-claim rule (#12): the create leaves by sendBy or not at all, and the claim stands
      // until it can no longer commit (sendBy + Acumatica's queue limit), so no second create can overlap it.
      const sendWindowMs = Math.min(30_000, Math.max(2_000, this.config.retry.baseMs * 60));
      const sendBy = new Date(this.clock.now().getTime() + sendWindowMs);
      const leaseUntil = new Date(sendBy.getTime() + this.config.queueLimitMs).toISOString();
      // Appended at the revision loaded: of two runs only one gets to create (the other reads again).
      if (!(await this.write(loaded, claimAccrualCreation(state, kind, leaseUntil, randomUUID())))) return;
      const created = await this.acumatica.createJournal(connectionId, journal, { sendBy });
      // What Acumatica created is true even if the stream moved meanwhile (a cancellation): recorded on the
      // stream as it now stands (a lost race decides again; already recorded decides nothing).
      await this.accruals.handle(
        loaded.stream,
        (s) => recordAccrualJournal(s, kind, created.batchNbr, created.status, false),
        () => this.metadata(),
      );
    } catch (error) {
      await this.failed(loaded.stream, kind, error);
    }
  }

  /** Releases a recorded batch (mapping `journal.release`); a lost answer is settled by reading the batch back. */
  private async release(loaded: LoadedAccrual, kind: AccrualJournalKind): Promise<void> {
    const { state } = loaded;
    const connectionId = state.connectionId;
    const batchNbr = state[kind].batchNbr;
    const journal = journalOf(state, kind);
    if (!connectionId || !batchNbr || !journal) return;
    try {
      let released;
      try {
        released = await this.acumatica.releaseJournal(connectionId, batchNbr);
      } catch (error) {
        const found = await this.acumatica.findJournalByTag(connectionId, journal.tag).catch(() => null);
        if (!found || !isReleasedStatus(found.status)) throw error;
        released = found;
      }
      await this.write(loaded, releaseAccrualJournal(state, kind, released.batchNbr, released.status));
    } catch (error) {
      await this.failed(loaded.stream, kind, error);
    }
  }

  /** The failure recorded on the stream as it now stands: a closed period skips, else a retry or a person. */
  private async failed(stream: string, kind: AccrualJournalKind, error: unknown): Promise<void> {
    const failure = classifyFailure(error);
    const now = this.clock.now();
    await this.accruals.handle(
      stream,
      (s): AccrualDecision => {
        const journal = journalOf(s, kind);
        if (failure.reason?.code === 'closed_period' && journal)
          return skipAccrualJournal(s, kind, 'closed_period', closedPeriodReason(kind, journal, failure.error));
        const when = failure.retryable
          ? nextAttemptAt(now, s.failures + 1, this.config.retry, undefined, failure.retryAfterMs)
          : undefined;
        return accrualAttemptFailed(s, kind, failure.reason?.message ?? failure.error, failure.retryable, when);
      },
      () => this.metadata(),
      // One attempt: a stream that moved meanwhile is read again by the next step, which decides anew.
      { maxAttempts: 1 },
    );
  }

  private metadata(): EventMetadata {
    return { actor: 'system', at: this.clock.now().toISOString() };
  }

  /** Appends the decision at the revision loaded: true when written (or nothing to write), false on a lost race. */
  private async write(loaded: LoadedAccrual, decision: AccrualDecision): Promise<boolean> {
    return (await this.accruals.append(loaded, decision.events, this.metadata())) !== null;
  }
}

/** The accrual replays a posting replay causes are the operator's, in the same chain of work. */
const replayMetadata = (event: RecordedEvent): EventMetadata => ({
  actor: event.metadata.actor ?? 'operator',
  ...(typeof event.metadata.actorName === 'string' ? { actorName: event.metadata.actorName } : {}),
  correlationId: event.metadata.correlationId ?? event.id,
  causationId: event.id,
});
