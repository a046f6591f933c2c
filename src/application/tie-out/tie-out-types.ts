/** The shapes of the tie-out report (`tie-out-report.ts` builds them, `tie-out-csv.ts` writes them out). */
import type { Journal } from '../../domain/journal/journal';
import type { PostingStatus } from '../../domain/payroll-posting/state';
import type { BatchReadBack } from './ports';
import type { AccrualRecord } from './posting-records';

export interface TieOutInput {
  payrollUuid: string;
  status: PostingStatus;
  checkDate: string;
  payPeriod?: { startDate: string | null; endDate: string | null };
  offCycle: boolean;
  /** Gusto's `totals` as fetched for the posting (decimal strings). */
  gustoTotals: Record<string, string>;
  journal?: Journal;
  batchNbr?: string;
  /** The batch read back now; `error` when Acumatica could not be asked. */
  batch?: BatchReadBack | null | { error: string };
  reversal?: { status: string; batchNbr?: string };
  lastError?: string;
  /** The payroll's month-end accruals (posted, skipped with the reason, pending, failing). */
  accruals?: AccrualRecord[];
}

export interface Tie {
  /** What is compared, in an accountant's words. */
  item: string;
  gusto?: string;
  journal?: string;
  acumatica?: string;
  /** The largest disagreement among the sides present, signed as (other side − journal) or (Gusto − journal). */
  difference: string;
}

export interface PayrollTieOut {
  payrollUuid: string;
  checkDate: string;
  payPeriod?: { startDate: string | null; endDate: string | null };
  offCycle: boolean;
  status: PostingStatus;
  cashMode: 'bank' | 'liabilities' | 'not built';
  gusto: {
    withdrawals: Record<string, string>;
    companyDebit?: string;
    checkAmount?: string;
    totals: Record<string, string>;
  };
  journal?: {
    tag: string;
    entryDate: string;
    debit: string;
    credit: string;
    cashLines: Array<{ mappingKey: string; account: string; amount: string; memo: string }>;
  };
  acumatica?: { batchNbr: string; status?: string; debitTotal?: string; creditTotal?: string; error?: string };
  reversal?: { status: string; batchNbr?: string };
  /** Month-end accruals posted or skipped (empty when the payroll needed none or accrual is off). */
  accruals: AccrualRecord[];
  ties: Tie[];
  /** Every non-zero difference and every reason the payroll is not (fully) in the ledger, one sentence each. */
  differences: string[];
}

export interface TieOutReport {
  connectionId: string;
  from: string;
  to: string;
  generatedAt: string;
  payrolls: PayrollTieOut[];
  period: {
    payrolls: number;
    posted: number;
    gusto: { companyDebit: string; withdrawals: Record<string, string> };
    journal: { debit: string; credit: string; cash: string };
    acumatica: { debit: string; credit: string };
    differences: number;
  };
}
