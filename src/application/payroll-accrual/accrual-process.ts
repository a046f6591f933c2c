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
import { buildAccruals } from '../../domain/journal/accrual';
import { parseMapping } from '../../domain/mapping/parse-mapping';
import {
  ACCRUAL_STREAM_PREFIX,
  accrualStream,
  type AccrualJournalKind,
  type PayrollAccrualEvent,
} from '../../domain/payroll-accrual/events';
import {
  accrualAttemptFailed,
  claimAccrualCreation,
  completedEvent,
  journalOf,
  nextAccrualWork,
  planAccrual,
  recordAccrualJournal,
  releaseAccrualJournal,
  skipAccrualJournal,
  type PayrollAccrual,
} from '../../domain/payroll-accrual/decide';
import { cancelAccrual } from '../../domain/payroll-accrual/lifecycle';
import { isReleasedStatus } from '../../domain/payroll-posting/decide';
import { postingStream } from '../../domain/payroll-posting/events';
import {
  accrualStreamsOf,
  cancellationReason,
  cancelledBeforeReason,
  closedPeriodReason,
  loadAccrual,
  postingAt,
  unfinishedAccrualStreams,
} from './accrual-streams';
import { CheckpointStore } from '../inbox/checkpoint-store';
import { classifyFailure } from '../payroll-posting/block-reasons';
import { nextAttemptAt, type RetrySettings } from '../payroll-posting/retry-policy';
import { backoffMs } from '../shared/backoff';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { ACUMATICA, type AcumaticaApi } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import {
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  type Subscription,
} from '../ports/event-store.port';

export { ACCRUAL_STREAM_PREFIX };
const POSTING_STREAM_PREFIX = 'payroll-posting-';
const PLAN_ATTEMPTS = 5;

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
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACUMATICA) private readonly acumatica: AcumaticaApi,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCRUAL_SETTINGS) private readonly config: AccrualSettings,
  ) {
    this.checkpoint = new CheckpointStore(store, 'checkpoint-payroll-accruals', clock);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const from = await this.checkpoint.load();
      await this.resumeUnfinished();
      if (this.stopped) return;
      this.subscription = this.store.subscribeToAll((event) => this.onPosting(event), {
        fromPosition: from,
        // PayrollReversed: the payroll was cancelled after it was posted, so its accruals are undone too.
        filter: { streamPrefixes: [POSTING_STREAM_PREFIX], eventTypes: ['PayrollPosted', 'PayrollReversed'] },
      });
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
    for (const s of await this.plan(postingStream(connectionId, payrollUuid))) this.kick(s);
  }

  private async onPosting(event: RecordedEvent): Promise<void> {
    if (this.stopped) return;
    const { stream: postingStream, position, revision } = event;
    for (let attempt = 1; attempt <= PLAN_ATTEMPTS; attempt++) {
      try {
        const streams =
          event.type === 'PayrollReversed'
            ? await this.cancel(postingStream, revision)
            : await this.plan(postingStream, revision);
        for (const s of streams) this.kick(s);
        break;
      } catch {
        if (attempt === PLAN_ATTEMPTS || this.stopped) break;
        await new Promise((r) =>
          setTimeout(r, backoffMs(attempt + 1, { baseMs: this.config.retry.baseMs, capMs: 5_000 })),
        );
      }
    }
    await this.checkpoint.save(position).catch(() => undefined);
  }

  /**
   * Plans the accruals of a posted payroll (idempotent: a planned stream is left as it is), as the posting
   * stood at `revision` (its PayrollPosted): a later re-processing must not change which generation this is.
   */
  private async plan(postingStream: string, revision?: bigint): Promise<string[]> {
    const posting = await postingAt(this.store, postingStream, revision);
    const { connectionId, payrollUuid, journal, payroll } = posting;
    const generation = posting.generation ?? 1;
    if (posting.phase !== 'posted' || !connectionId || !payrollUuid || !journal || journal.kind !== 'payroll')
      return [];
    const stored = await this.connections.getMapping(connectionId);
    if (!stored) return [];
    const parsed = parseMapping(stored.document);
    if (!parsed.ok || parsed.mapping.journal.accrual?.enabled !== true) return [];
    const period =
      payroll?.payPeriod?.startDate && payroll.payPeriod.endDate
        ? { startDate: payroll.payPeriod.startDate, endDate: payroll.payPeriod.endDate }
        : null;
    const built = buildAccruals(journal, period, parsed.mapping);
    if (!built.ok) {
      // No accruedPayroll account: recorded on a stream of its own month so the tie-out names it.
      const month = period?.startDate.slice(0, 7) ?? journal.header.transactionDate.slice(0, 7);
      const stream = accrualStream(connectionId, payrollUuid, month, generation);
      const state = await this.load(stream);
      if (!state.state.planned && !state.state.stuck) {
        const error = built.errors.map((e) => e.message).join('; ');
        const data = {
          connectionId,
          kind: 'accrual' as const,
          attempt: state.state.failures + 1,
          error,
          retryable: false,
          payrollUuid,
          month,
          ...(generation > 1 ? { generation } : {}),
        };
        await this.append(stream, state.expected, [{ type: 'AccrualAttemptFailed', data }]).catch(() => undefined);
      }
      return [];
    }
    const out: string[] = [];
    for (const a of built.accruals) {
      const stream = accrualStream(connectionId, payrollUuid, a.month, generation);
      const { state, expected } = await this.load(stream);
      const events = planAccrual(state, {
        connectionId,
        payrollUuid,
        month: a.month,
        days: a.days,
        periodDays: a.periodDays,
        accrual: a.accrual,
        reversal: a.reversal,
        ...(generation > 1 ? { generation } : {}),
      });
      if (events.length > 0) {
        try {
          await this.append(stream, expected, events);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error; // planned by another run meanwhile
        }
      }
      out.push(stream);
    }
    return out;
  }

  /** The payroll's journal was reversed: every accrual of that generation is cancelled (its posted journals voided). */
  private async cancel(postingStream: string, revision: bigint): Promise<string[]> {
    const posting = await postingAt(this.store, postingStream, revision);
    if (!posting.connectionId || !posting.payrollUuid) return [];
    const out: string[] = [];
    for (const stream of await accrualStreamsOf(
      this.store,
      posting.connectionId,
      posting.payrollUuid,
      posting.generation ?? 1,
    )) {
      const { state, expected } = await this.load(stream);
      const events = cancelAccrual(state, cancellationReason(posting));
      // A stream that moved meanwhile throws WrongExpectedRevision: onPosting tries the cancellation again.
      if (events.length > 0) await this.append(stream, expected, events);
      out.push(stream);
    }
    return out;
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

  /** Works the stream until it is done or has to wait. */
  private async drive(stream: string): Promise<void> {
    for (let step = 0; step < 10 && !this.stopped; step++) {
      const { state, expected } = await this.load(stream);
      const now = this.clock.now();
      const work = nextAccrualWork(state, now);
      if (work.kind === 'none') return;
      if (work.kind === 'complete') {
        await this.append(stream, expected, [completedEvent(state)]);
        return;
      }
      if (work.kind === 'wait') return this.kick(stream, Math.max(10, Date.parse(work.until) - now.getTime()));
      if (work.kind === 'release') await this.release(stream, state, expected, work.journal);
      else await this.post(stream, state, expected, work.journal, work.kind === 'settle');
    }
  }

  /** Finds or creates the journal; `settleOnly` (the payroll was cancelled): finds, or records that none was posted. */
  private async post(
    stream: string,
    state: PayrollAccrual,
    expected: ExpectedRevision,
    kind: AccrualJournalKind,
    settleOnly = false,
  ): Promise<void> {
    const journal = journalOf(state, kind)!;
    const connectionId = state.connectionId!;
    try {
      const found = await this.acumatica.findJournalByTag(connectionId, journal.tag);
      if (found) {
        await this.append(stream, expected, recordAccrualJournal(state, kind, found.batchNbr, found.status, true));
        return;
      }
      if (settleOnly) {
        await this.append(
          stream,
          expected,
          skipAccrualJournal(state, kind, 'payroll_cancelled', cancelledBeforeReason(kind, journal)),
        );
        return;
      }
      // The posting's create-claim rule (#12): the create leaves by sendBy or not at all, and the claim stands
      // until it can no longer commit (sendBy + Acumatica's queue limit), so no second create can overlap it.
      const sendWindowMs = Math.min(30_000, Math.max(2_000, this.config.retry.baseMs * 60));
      const sendBy = new Date(this.clock.now().getTime() + sendWindowMs);
      const leaseUntil = new Date(sendBy.getTime() + this.config.queueLimitMs).toISOString();
      const claimed = await this.append(stream, expected, claimAccrualCreation(state, kind, leaseUntil, randomUUID()));
      const created = await this.acumatica.createJournal(connectionId, journal, { sendBy });
      await this.recordCreated(stream, claimed, { ...state, claim: undefined }, kind, created);
    } catch (error) {
      await this.failed(stream, kind, error);
    }
  }

  /** What Acumatica created is true even if the stream moved meanwhile (a cancellation): recorded on it as it now stands. */
  private async recordCreated(
    stream: string,
    expected: ExpectedRevision,
    state: PayrollAccrual,
    kind: AccrualJournalKind,
    created: { batchNbr: string; status: string },
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.append(stream, expected, recordAccrualJournal(state, kind, created.batchNbr, created.status, false));
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 3) throw error;
        ({ state, expected } = await this.load(stream));
        if (state[kind].batchNbr !== undefined) return;
      }
    }
  }

  /** Releases a recorded batch (mapping `journal.release`); a lost answer is settled by reading the batch back. */
  private async release(
    stream: string,
    state: PayrollAccrual,
    expected: ExpectedRevision,
    kind: AccrualJournalKind,
  ): Promise<void> {
    const connectionId = state.connectionId!;
    const batchNbr = state[kind].batchNbr!;
    try {
      let released;
      try {
        released = await this.acumatica.releaseJournal(connectionId, batchNbr);
      } catch (error) {
        const found = await this.acumatica
          .findJournalByTag(connectionId, journalOf(state, kind)!.tag)
          .catch(() => null);
        if (!found || !isReleasedStatus(found.status)) throw error;
        released = found;
      }
      await this.append(stream, expected, releaseAccrualJournal(state, kind, released.batchNbr, released.status));
    } catch (error) {
      await this.failed(stream, kind, error);
    }
  }

  private async failed(stream: string, kind: AccrualJournalKind, error: unknown): Promise<void> {
    if (error instanceof WrongExpectedRevisionError) return; // another run moved the stream: the next drive reloads
    const failure = classifyFailure(error);
    const { state: now, expected: at } = await this.load(stream);
    const journal = journalOf(now, kind)!;
    if (failure.reason?.code === 'closed_period') {
      await this.append(
        stream,
        at,
        skipAccrualJournal(now, kind, 'closed_period', closedPeriodReason(kind, journal, failure.error)),
      );
      return;
    }
    const when = failure.retryable
      ? nextAttemptAt(this.clock.now(), now.failures + 1, this.config.retry, undefined, failure.retryAfterMs)
      : undefined;
    await this.append(
      stream,
      at,
      accrualAttemptFailed(now, kind, failure.reason?.message ?? failure.error, failure.retryable, when),
    );
  }

  private load(stream: string): Promise<{ state: PayrollAccrual; expected: ExpectedRevision }> {
    return loadAccrual(this.store, stream);
  }

  /** Appends with the revision loaded; returns the next expected revision. */
  private async append(
    stream: string,
    expected: ExpectedRevision,
    events: PayrollAccrualEvent[],
  ): Promise<ExpectedRevision> {
    const at = this.clock.now().toISOString();
    const result = await this.store.append(
      stream,
      events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: 'system', at } })),
      expected,
    );
    return result.nextExpectedRevision;
  }
}
