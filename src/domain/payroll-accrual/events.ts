/**
 * The PayrollAccrual stream (`payroll-accrual-<connectionId>-<payrollUuid>-<YYYY-MM>`): one month-end accrual
 * of a posted payroll and its reversal, each found or created in Acumatica exactly once, or skipped with the
 * reason (a closed period is not an error). Times live in the event metadata.
 */
import type { Journal } from '../journal/journal';

export type AccrualJournalKind = 'accrual' | 'reversal';

export type PayrollAccrualEvent =
  | { type: 'AccrualPlanned'; data: { connectionId: string; payrollUuid: string; month: string; days: number; periodDays: number; accrual: Journal; reversal: Journal } }
  /** Appended at the loaded revision before a create: of two runs only one gets to create. */
  | { type: 'AccrualCreationStarted'; data: { connectionId: string; kind: AccrualJournalKind; leaseUntil: string; claimant: string } }
  | { type: 'AccrualJournalRecorded'; data: { connectionId: string; kind: AccrualJournalKind; batchNbr: string; status: string; found: boolean } }
  | { type: 'AccrualSkipped'; data: { connectionId: string; kind: AccrualJournalKind; reason: string; code: string } }
  | { type: 'AccrualAttemptFailed'; data: { connectionId: string; kind: AccrualJournalKind; attempt: number; error: string; retryable: boolean; nextAttemptAt?: string } }
  | { type: 'AccrualCompleted'; data: { connectionId: string; accrualBatchNbr?: string; reversalBatchNbr?: string } };

export type PayrollAccrualEventType = PayrollAccrualEvent['type'];
export const ACCRUAL_EVENT_TYPES: readonly PayrollAccrualEventType[] = [
  'AccrualPlanned', 'AccrualCreationStarted', 'AccrualJournalRecorded', 'AccrualSkipped', 'AccrualAttemptFailed', 'AccrualCompleted',
];
export const isPayrollAccrualEvent = (e: { type: string }): e is PayrollAccrualEvent => (ACCRUAL_EVENT_TYPES as readonly string[]).includes(e.type);

export const accrualStream = (connectionId: string, payrollUuid: string, month: string): string => `payroll-accrual-${connectionId}-${payrollUuid}-${month}`;
