/**
 * An operator re-runs one month's accrual of a posting (POST /api/postings/:id/accruals/:month/replay): a
 * stuck one (e.g. no accruedPayroll account, now mapped), a failing one (at once, not at its next retry), or
 * one skipped for a closed period (now open). Still exactly once: the lookup by tag finds what exists.
 */
import { Inject, Injectable } from '@nestjs/common';
import { statusOfAccrual, type AccrualStatus } from '../../domain/payroll-accrual/state';
import { accrualStream } from '../../domain/payroll-accrual/events';
import { replayAccrual, type AccrualError } from '../../domain/payroll-accrual/lifecycle';
import { postingStream } from '../../domain/payroll-posting/events';
import { CLOCK, type Clock } from '../ports/clock.port';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port';
import { CommandHandler, type ConflictError } from '../shared/command-handler';
import type { AccrualHandler } from './accrual-planner';
import { AccrualProcess } from './accrual-process';
import { accrualAggregate, postingAt } from './accrual-streams';

export type AccrualReplayResult =
  | { ok: true; month: string; status: AccrualStatus }
  | { ok: false; error: AccrualError | ConflictError | 'posting_not_found' };

@Injectable()
export class AccrualReplay {
  private readonly accruals: AccrualHandler;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccrualProcess) private readonly process: AccrualProcess,
  ) {
    this.accruals = new CommandHandler(store, accrualAggregate, { maxAttempts: 4 });
  }

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
    const metadata = {
      actor: requestedBy,
      ...(requestedByName ? { actorName: requestedByName } : {}),
      at: this.clock.now().toISOString(),
      ...(correlationId ? { correlationId } : {}),
    };
    const replayed = await this.accruals.handle(stream, (s) => replayAccrual(s, requestedBy), metadata);
    if (!replayed.ok) return { ok: false, error: replayed.error };
    // Never planned (the plan itself failed): plan again with the mapping as it is now.
    if (replayed.state.planned) this.process.resume(stream);
    else await this.process.replan(connectionId, payrollUuid);
    return { ok: true, month, status: statusOfAccrual(replayed.state) };
  }
}
