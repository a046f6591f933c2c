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
import { accrualStream, isPayrollAccrualEvent, type AccrualJournalKind, type PayrollAccrualEvent } from '../../domain/payroll-accrual/events';
import {
  accrualAttemptFailed,
  claimAccrualCreation,
  foldAccrual,
  nextAccrualWork,
  planAccrual,
  recordAccrualJournal,
  skipAccrualJournal,
  type PayrollAccrual,
} from '../../domain/payroll-accrual/decide';
import { CheckpointStore } from '../inbox/checkpoint-store';
import { classifyFailure } from '../payroll-posting/block-reasons';
import { loadPosting } from '../payroll-posting/posting-stream';
import { nextAttemptAt, type RetrySettings } from '../payroll-posting/retry-policy';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { ACUMATICA, type AcumaticaApi } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type Subscription } from '../ports/event-store.port';

export const ACCRUAL_STREAM_PREFIX = 'payroll-accrual-';
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
      this.subscription = this.store.subscribeToAll((event) => this.onPosted(event.stream, event.position), {
        fromPosition: from,
        filter: { streamPrefixes: [POSTING_STREAM_PREFIX], eventTypes: ['PayrollPosted'] },
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

  private async onPosted(postingStream: string, position: bigint): Promise<void> {
    if (this.stopped) return;
    for (let attempt = 1; attempt <= PLAN_ATTEMPTS; attempt++) {
      try {
        const streams = await this.plan(postingStream);
        for (const s of streams) this.kick(s);
        break;
      } catch {
        if (attempt === PLAN_ATTEMPTS || this.stopped) break;
        await new Promise((r) => setTimeout(r, Math.min(this.config.retry.baseMs * 2 ** attempt, 5_000)));
      }
    }
    await this.checkpoint.save(position).catch(() => undefined);
  }

  /** Plans the accruals of a posted payroll (idempotent: a planned stream is left as it is). */
  private async plan(postingStream: string): Promise<string[]> {
    const posting = (await loadPosting(this.store, postingStream)).state;
    const { connectionId, payrollUuid, journal, payroll } = posting;
    if (posting.phase !== 'posted' || !connectionId || !payrollUuid || !journal || journal.kind !== 'payroll') return [];
    const stored = await this.connections.getMapping(connectionId);
    if (!stored) return [];
    const parsed = parseMapping(stored.document);
    if (!parsed.ok || parsed.mapping.journal.accrual?.enabled !== true) return [];
    const period = payroll?.payPeriod?.startDate && payroll.payPeriod.endDate ? { startDate: payroll.payPeriod.startDate, endDate: payroll.payPeriod.endDate } : null;
    const built = buildAccruals(journal, period, parsed.mapping);
    if (!built.ok) {
      // No accruedPayroll account: recorded on a stream of its own month so the tie-out names it.
      const month = period?.startDate.slice(0, 7) ?? journal.header.transactionDate.slice(0, 7);
      const stream = accrualStream(connectionId, payrollUuid, month);
      const state = await this.load(stream);
      if (!state.state.planned) {
        await this.append(stream, state.expected, [{ type: 'AccrualAttemptFailed', data: { connectionId, kind: 'accrual', attempt: 1, error: built.errors.map((e) => e.message).join('; '), retryable: false } }]).catch(() => undefined);
      }
      return [];
    }
    const out: string[] = [];
    for (const a of built.accruals) {
      const stream = accrualStream(connectionId, payrollUuid, a.month);
      const { state, expected } = await this.load(stream);
      const events = planAccrual(state, { connectionId, payrollUuid, month: a.month, days: a.days, periodDays: a.periodDays, accrual: a.accrual, reversal: a.reversal });
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

  private async resumeUnfinished(): Promise<void> {
    const events = await this.store.readAll(undefined, { filter: { streamPrefixes: [ACCRUAL_STREAM_PREFIX] } });
    const byStream = new Map<string, PayrollAccrualEvent[]>();
    for (const e of events) {
      if (!isPayrollAccrualEvent(e)) continue;
      const list = byStream.get(e.stream) ?? [];
      list.push(e as unknown as PayrollAccrualEvent);
      byStream.set(e.stream, list);
    }
    for (const [stream, list] of byStream) {
      const s = foldAccrual(list);
      if (s.planned && !s.completed && !s.stuck) this.kick(stream);
    }
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
        await this.append(stream, expected, [{ type: 'AccrualCompleted', data: { connectionId: state.connectionId!, ...(state.accrual.batchNbr ? { accrualBatchNbr: state.accrual.batchNbr } : {}), ...(state.reversal.batchNbr ? { reversalBatchNbr: state.reversal.batchNbr } : {}) } }]);
        return;
      }
      if (work.kind === 'wait') return this.kick(stream, Math.max(10, Date.parse(work.until) - now.getTime()));
      await this.post(stream, state, expected, work.journal);
    }
  }

  private async post(stream: string, state: PayrollAccrual, expected: ExpectedRevision, kind: AccrualJournalKind): Promise<void> {
    const journal = kind === 'accrual' ? state.accrualJournal! : state.reversalJournal!;
    const connectionId = state.connectionId!;
    try {
      const found = await this.acumatica.findJournalByTag(connectionId, journal.tag);
      if (found) {
        await this.append(stream, expected, recordAccrualJournal(state, kind, found.batchNbr, found.status, true));
        return;
      }
      // The posting's create-claim rule (#12): the create leaves by sendBy or not at all, and the claim stands
      // until it can no longer commit (sendBy + Acumatica's queue limit), so no second create can overlap it.
      const sendWindowMs = Math.min(30_000, Math.max(2_000, this.config.retry.baseMs * 60));
      const sendBy = new Date(this.clock.now().getTime() + sendWindowMs);
      const leaseUntil = new Date(sendBy.getTime() + this.config.queueLimitMs).toISOString();
      const claimed = await this.append(stream, expected, claimAccrualCreation(state, kind, leaseUntil, randomUUID()));
      const created = await this.acumatica.createJournal(connectionId, journal, { sendBy });
      const after = foldAccrual([], { ...state, claim: undefined });
      await this.append(stream, claimed, recordAccrualJournal(after, kind, created.batchNbr, created.status, false));
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return; // another run moved the stream: the next drive reloads
      const failure = classifyFailure(error);
      const { state: now, expected: at } = await this.load(stream);
      if (failure.reason?.code === 'closed_period') {
        const period = kind === 'accrual' ? journal.header.transactionDate.slice(0, 7) : journal.header.transactionDate.slice(0, 7);
        await this.append(stream, at, skipAccrualJournal(now, kind, 'closed_period', `financial period ${period} is closed in Acumatica: the ${kind === 'accrual' ? 'accrual' : 'accrual reversal'} dated ${journal.header.transactionDate} was not posted (${failure.error})`));
        return;
      }
      const when = failure.retryable ? nextAttemptAt(this.clock.now(), now.failures + 1, this.config.retry, undefined, failure.retryAfterMs) : undefined;
      await this.append(stream, at, accrualAttemptFailed(now, kind, failure.reason?.message ?? failure.error, failure.retryable, when));
    }
  }

  private async load(stream: string): Promise<{ state: PayrollAccrual; expected: ExpectedRevision }> {
    const events = await this.store.readStream(stream);
    const domain = events.filter(isPayrollAccrualEvent) as unknown as PayrollAccrualEvent[];
    const last = events[events.length - 1];
    return { state: foldAccrual(domain), expected: last ? last.revision : 'no_stream' };
  }

  /** Appends with the revision loaded; returns the next expected revision. */
  private async append(stream: string, expected: ExpectedRevision, events: PayrollAccrualEvent[]): Promise<ExpectedRevision> {
    const at = this.clock.now().toISOString();
    const result = await this.store.append(stream, events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: 'system', at } })), expected);
    return result.nextExpectedRevision;
  }
}
