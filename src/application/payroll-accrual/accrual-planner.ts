/**
 * Which accrual streams a posting needs, and their first or last event: the accruals of a posted payroll
 * planned (one `payroll-accrual-…-<YYYY-MM>` stream each, idempotent), or cancelled when the payroll's
 * journal was reversed. Every write goes through the command handler (load → decide → append with ids).
 */
import { buildAccruals } from '../../domain/journal/accrual';
import { parseMapping } from '../../domain/mapping/parse-mapping';
import { planAccrual, recordPlanFailure } from '../../domain/payroll-accrual/decide';
import { accrualStream, type PayrollAccrualEvent } from '../../domain/payroll-accrual/events';
import { cancelAccrual, replayWithPosting } from '../../domain/payroll-accrual/lifecycle';
import type { PayrollAccrual } from '../../domain/payroll-accrual/state';
import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { EventMetadata, EventStore } from '../ports/event-store.port';
import type { CommandHandler } from '../shared/command-handler';
import { accrualStreamsOf, cancellationReason, postingAt } from './accrual-streams';

export type AccrualHandler = CommandHandler<PayrollAccrual, PayrollAccrualEvent>;

export class AccrualPlanner {
  constructor(
    private readonly store: EventStore,
    private readonly connections: Connections,
    private readonly accruals: AccrualHandler,
    private readonly clock: Clock,
  ) {}

  private metadata(): EventMetadata {
    return { actor: 'system', at: this.clock.now().toISOString() };
  }

  /**
   * Plans the accruals of a posted payroll (idempotent: a planned stream is left as it is), as the posting
   * stood at `revision` (its PayrollPosted): a later re-processing must not change which generation this is.
   */
  async plan(postingStream: string, revision?: bigint): Promise<string[]> {
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
      const error = built.errors.map((e) => e.message).join('; ');
      await this.accruals
        .handle(
          accrualStream(connectionId, payrollUuid, month, generation),
          (s) => recordPlanFailure(s, { connectionId, payrollUuid, month, generation }, error),
          () => this.metadata(),
        )
        .catch(() => undefined);
      return [];
    }
    const out: string[] = [];
    for (const a of built.accruals) {
      const stream = accrualStream(connectionId, payrollUuid, a.month, generation);
      const data = {
        connectionId,
        payrollUuid,
        month: a.month,
        days: a.days,
        periodDays: a.periodDays,
        accrual: a.accrual,
        reversal: a.reversal,
        ...(generation > 1 ? { generation } : {}),
      };
      // A lost race re-reads and decides again: planned by another run meanwhile decides nothing.
      const planned = await this.accruals.handle(
        stream,
        (s) => planAccrual(s, data),
        () => this.metadata(),
      );
      if (!planned.ok) throw new Error(`${stream}: ${planned.message}`);
      out.push(stream);
    }
    return out;
  }

  /**
   * The posting was replayed (POST /api/postings/:id/replay): every accrual of its generation that failed, is
   * stuck or was skipped for a closed period is replayed too, in the name of whoever replayed the posting.
   * Accruals whose plan failed are planned again (now, if the payroll is posted; else at its PayrollPosted).
   */
  async replay(postingStream: string, revision: bigint, metadata: EventMetadata): Promise<string[]> {
    const posting = await postingAt(this.store, postingStream, revision);
    const { connectionId, payrollUuid } = posting;
    if (!connectionId || !payrollUuid) return [];
    const requestedBy = typeof metadata.actor === 'string' ? metadata.actor : 'operator';
    const out: string[] = [];
    let replan = false;
    for (const stream of await accrualStreamsOf(this.store, connectionId, payrollUuid, posting.generation ?? 1)) {
      const replayed = await this.accruals.handle(
        stream,
        (s) => replayWithPosting(s, requestedBy),
        () => ({ ...metadata, at: this.clock.now().toISOString() }),
      );
      if (!replayed.ok) throw new Error(`${stream}: ${replayed.message}`);
      if (replayed.events.length === 0) continue;
      if (replayed.state.planned) out.push(stream);
      else replan = true;
    }
    return replan ? [...out, ...(await this.plan(postingStream))] : out;
  }

  /** The payroll's journal was reversed: every accrual of that generation is cancelled (its posted journals voided). */
  async cancel(postingStream: string, revision: bigint): Promise<string[]> {
    const posting = await postingAt(this.store, postingStream, revision);
    if (!posting.connectionId || !posting.payrollUuid) return [];
    const reason = cancellationReason(posting);
    const out: string[] = [];
    for (const stream of await accrualStreamsOf(
      this.store,
      posting.connectionId,
      posting.payrollUuid,
      posting.generation ?? 1,
    )) {
      const cancelled = await this.accruals.handle(
        stream,
        (s) => cancelAccrual(s, reason),
        () => this.metadata(),
      );
      // Still moving after every attempt: the caller tries the cancellation again.
      if (!cancelled.ok) throw new Error(`${stream}: ${cancelled.message}`);
      out.push(stream);
    }
    return out;
  }
}
