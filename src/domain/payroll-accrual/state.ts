/**
 * PayrollAccrual state, folded from its events, and what the process should do next (decisions: ./decide.ts).
 *
 * accrual: none → planned → (accrual found/created [→ released] | skipped) → (reversal found/created
 * [→ released] | skipped) → completed. A skipped accrual skips its reversal too (nothing to undo). A skipped
 * reversal leaves the accrual standing, named in the tie-out. Release follows the mapping's `journal.release`
 * (the journals carry the payroll journal's header). Cancelled (the payroll was reversed): nothing more is
 * created; a create that may be in flight is looked up (settled), and whatever was posted is voided.
 */
import { isReleasedStatus } from '../payroll-posting/decide';
import type { Journal } from '../journal/journal';
import type { AccrualJournalKind, PayrollAccrualEvent } from './events';
import { voidJournal } from './void-journal';

export const ACCRUAL_STATUSES = ['pending', 'posted', 'skipped', 'failed', 'needs_attention', 'cancelled'] as const;
export type AccrualStatus = (typeof ACCRUAL_STATUSES)[number];

export interface JournalProgress {
  batchNbr?: string;
  status?: string;
  released?: boolean;
  skipped?: { reason: string; code: string };
}

export interface PayrollAccrual {
  planned: boolean;
  connectionId?: string;
  payrollUuid?: string;
  month?: string;
  /** The posting generation this accrual belongs to (1 unless the payroll was re-processed). */
  generation: number;
  days?: number;
  periodDays?: number;
  accrualJournal?: Journal;
  reversalJournal?: Journal;
  accrual: JournalProgress;
  reversal: JournalProgress;
  accrualVoid: JournalProgress;
  reversalVoid: JournalProgress;
  claim?: { kind: AccrualJournalKind; until: string; claimant: string };
  failures: number;
  lastError?: string;
  nextAttemptAt?: string;
  /** A failure no retry will fix (not a closed period): waits for a person. */
  stuck: boolean;
  /** The payroll was cancelled: why (AccrualCancelled). */
  cancelled?: string;
  completed: boolean;
}

export const initialAccrual: PayrollAccrual = {
  planned: false,
  generation: 1,
  accrual: {},
  reversal: {},
  accrualVoid: {},
  reversalVoid: {},
  failures: 0,
  stuck: false,
  completed: false,
};

const fresh = { claim: undefined, failures: 0, lastError: undefined, nextAttemptAt: undefined, stuck: false };
/** A replay un-skips what a closed period skipped (the period may be open now). */
const unskip = (p: JournalProgress, codes: string[]): JournalProgress =>
  p.skipped && codes.includes(p.skipped.code) ? {} : p;

export function evolveAccrual(s: PayrollAccrual, e: PayrollAccrualEvent): PayrollAccrual {
  switch (e.type) {
    case 'AccrualPlanned':
      return {
        ...s,
        ...fresh,
        planned: true,
        connectionId: e.data.connectionId,
        payrollUuid: e.data.payrollUuid,
        month: e.data.month,
        generation: e.data.generation ?? 1,
        days: e.data.days,
        periodDays: e.data.periodDays,
        accrualJournal: e.data.accrual,
        reversalJournal: e.data.reversal,
      };
    case 'AccrualCreationStarted':
      return { ...s, claim: { kind: e.data.kind, until: e.data.leaseUntil, claimant: e.data.claimant } };
    case 'AccrualJournalRecorded':
      return {
        ...s,
        ...fresh,
        [e.data.kind]: { batchNbr: e.data.batchNbr, status: e.data.status, released: isReleasedStatus(e.data.status) },
      };
    case 'AccrualJournalReleased':
      return {
        ...s,
        ...fresh,
        [e.data.kind]: { ...s[e.data.kind], batchNbr: e.data.batchNbr, status: e.data.status, released: true },
      };
    case 'AccrualSkipped': {
      const skipped = { skipped: { reason: e.data.reason, code: e.data.code } };
      const next = { ...s, claim: undefined, nextAttemptAt: undefined, stuck: false, [e.data.kind]: skipped };
      return e.data.kind === 'accrual'
        ? {
            ...next,
            reversal: { skipped: { reason: 'the accrual was skipped: nothing to reverse', code: 'accrual_skipped' } },
          }
        : next;
    }
    case 'AccrualAttemptFailed':
      return {
        ...s,
        claim: undefined,
        failures: e.data.attempt,
        lastError: e.data.error,
        nextAttemptAt: e.data.retryable ? e.data.nextAttemptAt : undefined,
        stuck: !e.data.retryable,
        connectionId: s.connectionId ?? e.data.connectionId,
        payrollUuid: s.payrollUuid ?? e.data.payrollUuid,
        month: s.month ?? e.data.month,
        generation: s.planned ? s.generation : (e.data.generation ?? s.generation),
      };
    case 'AccrualCompleted':
      return { ...s, completed: true };
    case 'AccrualReplayed': {
      const codes = ['closed_period'];
      const accrual = unskip(s.accrual, codes);
      const reversal = accrual.skipped ? s.reversal : unskip(unskip(s.reversal, codes), ['accrual_skipped']);
      return {
        ...s,
        ...fresh,
        claim: s.claim,
        completed: false,
        accrual,
        reversal,
        accrualVoid: unskip(s.accrualVoid, codes),
        reversalVoid: unskip(s.reversalVoid, codes),
      };
    }
    case 'AccrualCancelled':
      // A stuck run gets one more chance: what was posted must still be voided.
      return { ...s, ...fresh, claim: s.claim, cancelled: e.data.reason, completed: false };
  }
}

export const foldAccrual = (
  events: Iterable<PayrollAccrualEvent>,
  from: PayrollAccrual = initialAccrual,
): PayrollAccrual => {
  let s = from;
  for (const e of events) s = evolveAccrual(s, e);
  return s;
};

const done = (p: JournalProgress): boolean => p.batchNbr !== undefined || p.skipped !== undefined;

/** The journal of each kind: the planned pair, and the voids derived from them. */
export function journalOf(s: PayrollAccrual, kind: AccrualJournalKind): Journal | undefined {
  switch (kind) {
    case 'accrual':
      return s.accrualJournal;
    case 'reversal':
      return s.reversalJournal;
    case 'accrualVoid':
      return s.accrualJournal && voidJournal(s.accrualJournal);
    case 'reversalVoid':
      return s.reversalJournal && voidJournal(s.reversalJournal);
  }
}

/** What the process should do next. `settle`: look up only (cancelled: record what a past create made, else skip). */
export type AccrualWork =
  | { kind: 'none' }
  | { kind: 'complete' }
  | { kind: 'wait'; until: string }
  | { kind: 'post'; journal: AccrualJournalKind }
  | { kind: 'settle'; journal: AccrualJournalKind }
  | { kind: 'release'; journal: AccrualJournalKind };

type Step = Exclude<AccrualWork, { kind: 'none' | 'wait' }>;

export function pendingStep(s: PayrollAccrual): Step {
  const needsRelease = (kind: AccrualJournalKind): boolean => {
    const p = s[kind];
    return p.batchNbr !== undefined && !p.released && journalOf(s, kind)?.header.release === true;
  };
  for (const kind of ['accrual', 'reversal'] as const) {
    if (!done(s[kind])) return { kind: s.cancelled ? 'settle' : 'post', journal: kind };
    if (needsRelease(kind)) return { kind: 'release', journal: kind };
  }
  if (s.cancelled) {
    for (const [kind, of] of [
      ['accrualVoid', 'accrual'],
      ['reversalVoid', 'reversal'],
    ] as const) {
      if (s[of].batchNbr === undefined) continue;
      if (!done(s[kind])) return { kind: 'post', journal: kind };
      if (needsRelease(kind)) return { kind: 'release', journal: kind };
    }
  }
  return { kind: 'complete' };
}

export function nextAccrualWork(s: PayrollAccrual, now: Date): AccrualWork {
  if (!s.planned || s.completed || s.stuck) return { kind: 'none' };
  const step = pendingStep(s);
  if (step.kind === 'complete') return step;
  if (s.nextAttemptAt && Date.parse(s.nextAttemptAt) > now.getTime()) return { kind: 'wait', until: s.nextAttemptAt };
  if (step.kind !== 'release' && s.claim && Date.parse(s.claim.until) > now.getTime())
    return { kind: 'wait', until: s.claim.until };
  return step;
}

export function statusOfAccrual(s: PayrollAccrual): AccrualStatus {
  if (s.stuck) return 'needs_attention';
  if (s.cancelled) {
    if (!s.completed) return s.nextAttemptAt ? 'failed' : 'pending';
    return s.accrualVoid.skipped || s.reversalVoid.skipped ? 'needs_attention' : 'cancelled';
  }
  if (s.accrual.skipped) return 'skipped';
  if (s.completed) return s.reversal.skipped ? 'needs_attention' : 'posted';
  if (s.nextAttemptAt) return 'failed';
  return 'pending';
}
