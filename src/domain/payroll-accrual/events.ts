/**
 * The PayrollAccrual stream (`payroll-accrual-<connectionId>-<payrollUuid>-<YYYY-MM>`): one month-end accrual
 * of a posted payroll and its reversal, each found or created in Acumatica exactly once, or skipped with the
 * reason (a closed period is not an error). Times live in the event metadata.
 */
import type { Journal } from '../journal/journal';
import { eventTypes, isEventOf } from '../shared/event-types';

/**
 * `accrual` and `reversal` are the month-end pair; `accrualVoid` / `reversalVoid` undo a posted accrual or
 * reversal after the payroll was cancelled (each dated like the journal it undoes, so every month nets to zero).
 */
export type AccrualJournalKind = 'accrual' | 'reversal' | 'accrualVoid' | 'reversalVoid';
export const ACCRUAL_JOURNAL_KINDS: readonly AccrualJournalKind[] = [
  'accrual',
  'reversal',
  'accrualVoid',
  'reversalVoid',
];

export type PayrollAccrualEvent =
  /** `generation`: the posting's generation (2, 3, … after a re-processing; absent for the first). */
  | {
      type: 'AccrualPlanned';
      data: {
        connectionId: string;
        payrollUuid: string;
        month: string;
        days: number;
        periodDays: number;
        accrual: Journal;
        reversal: Journal;
        generation?: number;
      };
    }
  /** Appended at the loaded revision before a create: of two runs only one gets to create. */
  | {
      type: 'AccrualCreationStarted';
      data: { connectionId: string; kind: AccrualJournalKind; leaseUntil: string; claimant: string };
    }
  | {
      type: 'AccrualJournalRecorded';
      data: { connectionId: string; kind: AccrualJournalKind; batchNbr: string; status: string; found: boolean };
    }
  | { type: 'AccrualSkipped'; data: { connectionId: string; kind: AccrualJournalKind; reason: string; code: string } }
  /** payrollUuid/month/generation: on a failure before any plan (no accruedPayroll account), so the view can place it. */
  | {
      type: 'AccrualAttemptFailed';
      data: {
        connectionId: string;
        kind: AccrualJournalKind;
        attempt: number;
        error: string;
        retryable: boolean;
        nextAttemptAt?: string;
        payrollUuid?: string;
        month?: string;
        generation?: number;
      };
    }
  /** The batch was released in Acumatica (mapping `journal.release`, as for the payroll journal). */
  | {
      type: 'AccrualJournalReleased';
      data: { connectionId: string; kind: AccrualJournalKind; batchNbr: string; status: string };
    }
  /** An operator re-runs a failed, stuck or skipped accrual (POST /api/postings/:id/accruals/:month/replay). */
  | { type: 'AccrualReplayed'; data: { connectionId: string; requestedBy: string } }
  /** The payroll was cancelled (its journal reversed): what was posted of the accrual is undone, nothing more is posted. */
  | { type: 'AccrualCancelled'; data: { connectionId: string; reason: string } }
  | { type: 'AccrualCompleted'; data: { connectionId: string; accrualBatchNbr?: string; reversalBatchNbr?: string } };

export const ACCRUAL_EVENT_TYPES = eventTypes<PayrollAccrualEvent>()([
  'AccrualPlanned',
  'AccrualCreationStarted',
  'AccrualJournalRecorded',
  'AccrualSkipped',
  'AccrualAttemptFailed',
  'AccrualCompleted',
  'AccrualJournalReleased',
  'AccrualReplayed',
  'AccrualCancelled',
]);
export const isPayrollAccrualEvent = isEventOf<PayrollAccrualEvent>(ACCRUAL_EVENT_TYPES);

export const ACCRUAL_STREAM_PREFIX = 'payroll-accrual-';

/** Generation 1 keeps the original name; a re-processed payroll's accruals get `-g<n>` before the month. */
export const accrualStream = (connectionId: string, payrollUuid: string, month: string, generation = 1): string =>
  `${ACCRUAL_STREAM_PREFIX}${connectionId}-${payrollUuid}-${generation > 1 ? `g${generation}-` : ''}${month}`;

/** The payroll, month and generation an accrual stream of this connection belongs to (null: not one). */
export function parseAccrualStream(
  stream: string,
  connectionId: string,
): { payrollUuid: string; month: string; generation: number } | null {
  const prefix = `${ACCRUAL_STREAM_PREFIX}${connectionId}-`;
  if (!stream.startsWith(prefix)) return null;
  const m = /^(.+?)-(?:g(\d+)-)?(\d{4}-\d{2})$/.exec(stream.slice(prefix.length));
  return m?.[1] && m[3] ? { payrollUuid: m[1], month: m[3], generation: m[2] ? Number(m[2]) : 1 } : null;
}
