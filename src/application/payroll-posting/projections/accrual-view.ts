/**
 * A posting's month-end accruals as its view shows them (GET /api/postings/:id `accruals`, issue 14): one
 * entry per accrual stream of the payroll — month, status, the batch of the accrual and of its reversal
 * (and of their voids after a cancellation), why it was skipped, its last error. Folded from the
 * `payroll-accrual-…` streams by the postings projection.
 */
import {
  foldAccrual,
  statusOfAccrual,
  type AccrualStatus,
  type JournalProgress,
} from '../../../domain/payroll-accrual/state';
import {
  isPayrollAccrualEvent,
  parseAccrualStream,
  type PayrollAccrualEvent,
} from '../../../domain/payroll-accrual/events';
import type { RecordedEvent } from '../../ports/event-store.port';

export interface AccrualJournalView {
  batchNbr?: string;
  /** Acumatica's status when last seen (Balanced, Posted, …). */
  status?: string;
  released?: boolean;
  /** Why it was not posted (a closed period, the payroll cancelled first). */
  skipped?: string;
}

export interface AccrualView {
  /** YYYY-MM: the earlier month whose share of the pay period is accrued. */
  month: string;
  /** The posting generation (2, 3, … after a re-processing; absent for the first). */
  generation?: number;
  /** pending · posted · skipped (closed period) · failed (retrying) · needs_attention (replay after a fix) · cancelled (voided). */
  status: AccrualStatus;
  days?: number;
  periodDays?: number;
  /** The accrued amount (the accruedPayroll credit). */
  amount?: string;
  accrual: AccrualJournalView;
  reversal: AccrualJournalView;
  /** After the payroll was cancelled: the journals that undid the posted accrual and reversal. */
  voids?: { accrual?: AccrualJournalView; reversal?: AccrualJournalView };
  cancelled?: string;
  lastError?: string;
  nextAttemptAt?: string;
}

const journalView = (p: JournalProgress): AccrualJournalView => ({
  ...(p.batchNbr ? { batchNbr: p.batchNbr } : {}),
  ...(p.status ? { status: p.status } : {}),
  ...(p.batchNbr ? { released: p.released === true } : {}),
  ...(p.skipped ? { skipped: p.skipped.reason } : {}),
});

export const accrualKey = (v: Pick<AccrualView, 'month' | 'generation'>): string => `${v.generation ?? 1}:${v.month}`;

/** One accrual stream's events → the payroll it belongs to and its view entry (null: not an accrual stream). */
export function accrualSummary(
  stream: string,
  events: RecordedEvent[],
): { connectionId: string; payrollUuid: string; view: AccrualView } | null {
  const domain = events.filter(isPayrollAccrualEvent) as unknown as PayrollAccrualEvent[];
  const connectionId = domain[0]?.data.connectionId;
  if (!connectionId) return null;
  const s = foldAccrual(domain);
  const parsed = parseAccrualStream(stream, connectionId);
  const payrollUuid = s.payrollUuid ?? parsed?.payrollUuid;
  const month = s.month ?? parsed?.month;
  if (!payrollUuid || !month) return null;
  const generation = s.planned ? s.generation : (parsed?.generation ?? s.generation);
  const credit = s.accrualJournal?.lines.find((l) => l.mappingKey.split(':')[0] === 'accruedPayroll');
  const voids = s.cancelled
    ? {
        ...(s.accrualVoid.batchNbr || s.accrualVoid.skipped ? { accrual: journalView(s.accrualVoid) } : {}),
        ...(s.reversalVoid.batchNbr || s.reversalVoid.skipped ? { reversal: journalView(s.reversalVoid) } : {}),
      }
    : undefined;
  const view: AccrualView = {
    month,
    ...(generation > 1 ? { generation } : {}),
    status: statusOfAccrual(s),
    ...(s.days === undefined ? {} : { days: s.days, periodDays: s.periodDays }),
    ...(credit ? { amount: credit.amount } : {}),
    accrual: journalView(s.accrual),
    reversal: journalView(s.reversal),
    ...(voids && Object.keys(voids).length > 0 ? { voids } : {}),
    ...(s.cancelled ? { cancelled: s.cancelled } : {}),
    ...(s.lastError && !s.completed ? { lastError: s.lastError } : {}),
    ...(s.nextAttemptAt ? { nextAttemptAt: s.nextAttemptAt } : {}),
  };
  return { connectionId, payrollUuid, view };
}

/** The view's `accruals`, in generation then month order (absent when the payroll has none). */
export function accrualsList(accruals: Record<string, AccrualView> | undefined): AccrualView[] | undefined {
  if (!accruals) return undefined;
  const list = Object.values(accruals).sort(
    (a, b) => (a.generation ?? 1) - (b.generation ?? 1) || (a.month < b.month ? -1 : a.month > b.month ? 1 : 0),
  );
  return list.length > 0 ? list : undefined;
}

export function accrualsMap(list: AccrualView[] | undefined): Record<string, AccrualView> | undefined {
  if (!list || list.length === 0) return undefined;
  return Object.fromEntries(list.map((v) => [accrualKey(v), v]));
}
