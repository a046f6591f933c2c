/**
 * An operator re-runs one month's accrual of a posting (POST /api/postings/:id/accruals/:month/replay): a
 * stuck one (e.g. no accruedPayroll account, now mapped), a failing one (at once, not at its next retry), or
 * one skipped for a closed period (now open). Still exactly once: the lookup by tag finds what exists.
 */
import { Inject, Injectable } from '@nestjs/common';
import { foldAccrual, statusOfAccrual, type AccrualStatus } from '../../domain/payroll-accrual/decide';
import { accrualStream, isPayrollAccrualEvent, type PayrollAccrualEvent } from '../../domain/payroll-accrual/events';
import { replayAccrual, type AccrualError } from '../../domain/payroll-accrual/lifecycle';
import { postingStream } from '../../domain/payroll-posting/events';
import { CLOCK, type Clock } from '../ports/clock.port';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore } from '../ports/event-store.port';
import { AccrualProcess } from './accrual-process';
import { postingAt } from './accrual-streams';

export type AccrualReplayResult =
  { ok: true; month: string; status: AccrualStatus } | { ok: false; error: AccrualError | 'posting_not_found' };

@Injectable()
export class AccrualReplay {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccrualProcess) private readonly process: AccrualProcess,
  ) {}

  async replay(
    connectionId: string,
    payrollUuid: string,
    month: string,
    requestedBy: string,
    correlationId?: string,
    requestedByName?: string,
  ): Promise<AccrualReplayResult> {
    const posting = await postingAt(this.store, postingStream(connectionId, payrollUuid));
    if (posting.phase === 'none') return { ok: false, error: 'posting_not_found' };
    // The accrual of the posting's current generation.
    const stream = accrualStream(connectionId, payrollUuid, month, posting.generation ?? 1);
    for (let attempt = 0; ; attempt++) {
      const events = await this.store.readStream(stream);
      const state = foldAccrual(events.filter(isPayrollAccrualEvent) as unknown as PayrollAccrualEvent[]);
      const decision = replayAccrual(state, requestedBy);
      if (typeof decision === 'string') return { ok: false, error: decision };
      const metadata = {
        actor: requestedBy,
        ...(requestedByName ? { actorName: requestedByName } : {}),
        at: this.clock.now().toISOString(),
        ...(correlationId ? { correlationId } : {}),
      };
      try {
        await this.store.append(
          stream,
          decision.map((e) => ({ type: e.type, data: e.data, metadata })),
          events.at(-1)?.revision ?? 'no_stream',
        );
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 3) continue;
        throw error;
      }
      const after = foldAccrual(decision, state);
      // Never planned (the plan itself failed): plan again with the mapping as it is now.
      if (after.planned) this.process.resume(stream);
      else await this.process.replan(connectionId, payrollUuid);
      return { ok: true, month, status: statusOfAccrual(after) };
    }
  }
}
