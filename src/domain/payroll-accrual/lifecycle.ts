/**
 * The accrual's life after it first ran: an operator's replay, and the payroll's cancellation. Pure
 * decisions over the folded state (the Decision shape): events to append, none when already satisfied, or a
 * named refusal.
 */
import { accept, isRefused, refuse, type Accepted, type Refused } from '../shared/decision';
import type { PayrollAccrualEvent } from './events';
import type { PayrollAccrual } from './state';

export type AccrualError =
  | 'accrual_not_found' // no accrual of this month for the posting
  | 'accrual_not_replayable'; // posted (or running) and not waiting for a person: nothing to re-run

/** Something a person can fix and re-run: stuck (e.g. no accruedPayroll account), failing, or skipped for a closed period. */
export function isReplayable(s: PayrollAccrual): boolean {
  const closed = [s.accrual, s.reversal, s.accrualVoid, s.reversalVoid].some(
    (p) => p.skipped?.code === 'closed_period',
  );
  return s.stuck || s.nextAttemptAt !== undefined || closed;
}

export function replayAccrual(
  s: PayrollAccrual,
  requestedBy: string,
): Accepted<PayrollAccrualEvent> | Refused<AccrualError> {
  if (!s.planned && !s.stuck) return refuse('accrual_not_found');
  if (!isReplayable(s)) return refuse('accrual_not_replayable');
  return accept({ type: 'AccrualReplayed', data: { connectionId: s.connectionId ?? '', requestedBy } });
}

/**
 * The posting itself was replayed: the accrual is replayed with it when it waits for a person or a retry
 * (as `replayAccrual` would); otherwise (posted, running, cancelled and voided) nothing, never an error.
 */
export function replayWithPosting(s: PayrollAccrual, requestedBy: string): Accepted<PayrollAccrualEvent> {
  const replayed = replayAccrual(s, requestedBy);
  return isRefused(replayed) ? accept() : replayed;
}

/**
 * The payroll's journal was reversed (cancelled in Gusto): the accrual stops, and what was posted of it is
 * voided. Once only; an accrual never planned (nothing was posted) needs nothing.
 */
export function cancelAccrual(s: PayrollAccrual, reason: string): Accepted<PayrollAccrualEvent> {
  if (!s.planned || s.cancelled !== undefined) return accept();
  return accept({ type: 'AccrualCancelled', data: { connectionId: s.connectionId ?? '', reason } });
}
