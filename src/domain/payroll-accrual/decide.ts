/**
 * PayrollAccrual decider: one decision per step over the folded state (./state.ts), in the one Decision shape
 * (../shared/decision.ts): the events to append, none when already done. Pure; time and ids come in.
 */
import { accept, type Accepted } from '../shared/decision';
import type { AccrualJournalKind, PayrollAccrualEvent } from './events';
import { foldAccrual, pendingStep, type PayrollAccrual } from './state';

type AccrualDecision = Accepted<PayrollAccrualEvent>;

export function planAccrual(
  s: PayrollAccrual,
  data: Extract<PayrollAccrualEvent, { type: 'AccrualPlanned' }>['data'],
): AccrualDecision {
  return s.planned ? accept() : accept({ type: 'AccrualPlanned', data });
}

/** The plan itself failed (no accruedPayroll account): recorded once, on the month's stream, for the tie-out. */
export function recordPlanFailure(
  s: PayrollAccrual,
  at: { connectionId: string; payrollUuid: string; month: string; generation: number },
  error: string,
): AccrualDecision {
  if (s.planned || s.stuck) return accept();
  const { connectionId, payrollUuid, month, generation } = at;
  return accept({
    type: 'AccrualAttemptFailed',
    data: {
      connectionId,
      kind: 'accrual',
      attempt: s.failures + 1,
      error,
      retryable: false,
      payrollUuid,
      month,
      ...(generation > 1 ? { generation } : {}),
    },
  });
}

export function claimAccrualCreation(
  s: PayrollAccrual,
  kind: AccrualJournalKind,
  leaseUntil: string,
  claimant: string,
): AccrualDecision {
  return accept({
    type: 'AccrualCreationStarted',
    data: { connectionId: s.connectionId ?? '', kind, leaseUntil, claimant },
  });
}

/** The AccrualCompleted that follows `events` when they leave nothing to do. */
export function thenComplete(s: PayrollAccrual, events: PayrollAccrualEvent[]): AccrualDecision {
  const after = foldAccrual(events, s);
  if (after.completed || pendingStep(after).kind !== 'complete') return { events };
  return { events: [...events, completedEvent(after)] };
}

export const completedEvent = (s: PayrollAccrual): PayrollAccrualEvent => ({
  type: 'AccrualCompleted',
  data: {
    connectionId: s.connectionId ?? '',
    ...(s.accrual.batchNbr ? { accrualBatchNbr: s.accrual.batchNbr } : {}),
    ...(s.reversal.batchNbr ? { reversalBatchNbr: s.reversal.batchNbr } : {}),
  },
});

/** Nothing left to do: completed (once). */
export const completeAccrual = (s: PayrollAccrual): AccrualDecision =>
  s.completed ? accept() : accept(completedEvent(s));

/** What Acumatica holds (found, or created by this run): recorded once; a later record of the same kind is a no-op. */
export function recordAccrualJournal(
  s: PayrollAccrual,
  kind: AccrualJournalKind,
  batchNbr: string,
  status: string,
  found: boolean,
): AccrualDecision {
  if (s[kind].batchNbr !== undefined) return accept();
  return thenComplete(s, [
    { type: 'AccrualJournalRecorded', data: { connectionId: s.connectionId ?? '', kind, batchNbr, status, found } },
  ]);
}

export function releaseAccrualJournal(
  s: PayrollAccrual,
  kind: AccrualJournalKind,
  batchNbr: string,
  status: string,
): AccrualDecision {
  return thenComplete(s, [
    { type: 'AccrualJournalReleased', data: { connectionId: s.connectionId ?? '', kind, batchNbr, status } },
  ]);
}

/** A closed (or missing) financial period: not an error, the accrual is skipped with the reason. */
export function skipAccrualJournal(
  s: PayrollAccrual,
  kind: AccrualJournalKind,
  code: string,
  reason: string,
): AccrualDecision {
  return thenComplete(s, [
    { type: 'AccrualSkipped', data: { connectionId: s.connectionId ?? '', kind, code, reason } },
  ]);
}

export function accrualAttemptFailed(
  s: PayrollAccrual,
  kind: AccrualJournalKind,
  error: string,
  retryable: boolean,
  nextAttemptAt?: string,
): AccrualDecision {
  return accept({
    type: 'AccrualAttemptFailed',
    data: {
      connectionId: s.connectionId ?? '',
      kind,
      attempt: s.failures + 1,
      error,
      retryable,
      ...(retryable && nextAttemptAt ? { nextAttemptAt } : {}),
    },
  });
}
