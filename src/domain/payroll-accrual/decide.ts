/**
 * PayrollAccrual decider: state folded from the events, and one decision per step. Pure; time and ids come in.
 *
 * accrual: none → planned → (accrual found/created | skipped) → (reversal found/created | skipped) → completed.
 * A skipped accrual skips its reversal too (nothing to undo). A skipped reversal leaves the accrual standing,
 * named in the tie-out.
 */
import type { Journal } from '../journal/journal';
import type { AccrualJournalKind, PayrollAccrualEvent } from './events';

export type AccrualStatus = 'pending' | 'posted' | 'skipped' | 'failed' | 'needs_attention';

export interface JournalProgress {
  batchNbr?: string;
  status?: string;
  skipped?: { reason: string; code: string };
}

export interface PayrollAccrual {
  planned: boolean;
  connectionId?: string;
  payrollUuid?: string;
  month?: string;
  days?: number;
  periodDays?: number;
  accrualJournal?: Journal;
  reversalJournal?: Journal;
  accrual: JournalProgress;
  reversal: JournalProgress;
  claim?: { kind: AccrualJournalKind; until: string; claimant: string };
  failures: number;
  lastError?: string;
  nextAttemptAt?: string;
  /** A failure no retry will fix (not a closed period): waits for a person. */
  stuck: boolean;
  completed: boolean;
}

export const initialAccrual: PayrollAccrual = { planned: false, accrual: {}, reversal: {}, failures: 0, stuck: false, completed: false };

export function evolveAccrual(s: PayrollAccrual, e: PayrollAccrualEvent): PayrollAccrual {
  switch (e.type) {
    case 'AccrualPlanned':
      return { ...s, planned: true, connectionId: e.data.connectionId, payrollUuid: e.data.payrollUuid, month: e.data.month, days: e.data.days, periodDays: e.data.periodDays, accrualJournal: e.data.accrual, reversalJournal: e.data.reversal };
    case 'AccrualCreationStarted':
      return { ...s, claim: { kind: e.data.kind, until: e.data.leaseUntil, claimant: e.data.claimant } };
    case 'AccrualJournalRecorded':
      return { ...s, claim: undefined, failures: 0, lastError: undefined, nextAttemptAt: undefined, stuck: false, [e.data.kind]: { batchNbr: e.data.batchNbr, status: e.data.status } };
    case 'AccrualSkipped': {
      const skipped = { skipped: { reason: e.data.reason, code: e.data.code } };
      const next = { ...s, claim: undefined, nextAttemptAt: undefined, stuck: false, [e.data.kind]: skipped };
      return e.data.kind === 'accrual' ? { ...next, reversal: { skipped: { reason: 'the accrual was skipped: nothing to reverse', code: 'accrual_skipped' } } } : next;
    }
    case 'AccrualAttemptFailed':
      return { ...s, claim: undefined, failures: e.data.attempt, lastError: e.data.error, nextAttemptAt: e.data.retryable ? e.data.nextAttemptAt : undefined, stuck: !e.data.retryable };
    case 'AccrualCompleted':
      return { ...s, completed: true };
  }
}

export const foldAccrual = (events: Iterable<PayrollAccrualEvent>, from: PayrollAccrual = initialAccrual): PayrollAccrual => {
  let s = from;
  for (const e of events) s = evolveAccrual(s, e);
  return s;
};

const done = (p: JournalProgress): boolean => p.batchNbr !== undefined || p.skipped !== undefined;

/** What the process should do next. */
export type AccrualWork =
  | { kind: 'none' }
  | { kind: 'complete' }
  | { kind: 'wait'; until: string }
  | { kind: 'post'; journal: AccrualJournalKind };

export function nextAccrualWork(s: PayrollAccrual, now: Date): AccrualWork {
  if (!s.planned || s.completed || s.stuck) return { kind: 'none' };
  const journal: AccrualJournalKind | undefined = !done(s.accrual) ? 'accrual' : !done(s.reversal) ? 'reversal' : undefined;
  if (journal === undefined) return { kind: 'complete' };
  if (s.nextAttemptAt && Date.parse(s.nextAttemptAt) > now.getTime()) return { kind: 'wait', until: s.nextAttemptAt };
  if (s.claim && Date.parse(s.claim.until) > now.getTime()) return { kind: 'wait', until: s.claim.until };
  return { kind: 'post', journal };
}

export function statusOfAccrual(s: PayrollAccrual): AccrualStatus {
  if (s.stuck) return 'needs_attention';
  if (s.accrual.skipped) return 'skipped';
  if (s.completed) return s.reversal.skipped ? 'needs_attention' : 'posted';
  if (s.nextAttemptAt) return 'failed';
  return 'pending';
}

// ── decisions ──────────────────────────────────────────────────────────────────────────────────────────

export function planAccrual(s: PayrollAccrual, data: Extract<PayrollAccrualEvent, { type: 'AccrualPlanned' }>['data']): PayrollAccrualEvent[] {
  return s.planned ? [] : [{ type: 'AccrualPlanned', data }];
}

export function claimAccrualCreation(s: PayrollAccrual, kind: AccrualJournalKind, leaseUntil: string, claimant: string): PayrollAccrualEvent[] {
  return [{ type: 'AccrualCreationStarted', data: { connectionId: s.connectionId!, kind, leaseUntil, claimant } }];
}

export function recordAccrualJournal(s: PayrollAccrual, kind: AccrualJournalKind, batchNbr: string, status: string, found: boolean): PayrollAccrualEvent[] {
  const recorded: PayrollAccrualEvent = { type: 'AccrualJournalRecorded', data: { connectionId: s.connectionId!, kind, batchNbr, status, found } };
  if (kind === 'accrual') return [recorded];
  return [recorded, { type: 'AccrualCompleted', data: { connectionId: s.connectionId!, ...(s.accrual.batchNbr ? { accrualBatchNbr: s.accrual.batchNbr } : {}), reversalBatchNbr: batchNbr } }];
}

/** A closed (or missing) financial period: not an error, the accrual is skipped with the reason. */
export function skipAccrualJournal(s: PayrollAccrual, kind: AccrualJournalKind, code: string, reason: string): PayrollAccrualEvent[] {
  const skipped: PayrollAccrualEvent = { type: 'AccrualSkipped', data: { connectionId: s.connectionId!, kind, code, reason } };
  const completed: PayrollAccrualEvent = { type: 'AccrualCompleted', data: { connectionId: s.connectionId!, ...(s.accrual.batchNbr ? { accrualBatchNbr: s.accrual.batchNbr } : {}) } };
  return [skipped, completed];
}

export function accrualAttemptFailed(s: PayrollAccrual, kind: AccrualJournalKind, error: string, retryable: boolean, nextAttemptAt?: string): PayrollAccrualEvent[] {
  return [{ type: 'AccrualAttemptFailed', data: { connectionId: s.connectionId!, kind, attempt: s.failures + 1, error, retryable, ...(retryable && nextAttemptAt ? { nextAttemptAt } : {}) } }];
}
