/**
 * The tie-out's own small query of the log: every posting stream of a connection, folded with the
 * posting decider's `fold`. Independent of the postings read model (which is being rewritten), so the
 * report reads exactly what the audit trail says.
 */
import { foldAccrual, statusOfAccrual } from '../../domain/payroll-accrual/state';
import { isPayrollAccrualEvent, type PayrollAccrualEvent } from '../../domain/payroll-accrual/events';
import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import {
  fold,
  initialState,
  statusOf,
  type PayrollPosting,
  type PostingStatus,
} from '../../domain/payroll-posting/state';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';

export interface PostingRecord {
  stream: string;
  payrollUuid: string;
  status: PostingStatus;
  state: PayrollPosting;
  accruals: AccrualRecord[];
}

/** One month-end accrual of the payroll (`payroll-accrual-…` streams). */
export interface AccrualRecord {
  month: string;
  status: string;
  days?: number;
  periodDays?: number;
  /** The accrued amount (the accruedPayroll credit), from the planned journal. */
  amount?: string;
  accrualBatchNbr?: string;
  reversalBatchNbr?: string;
  /** The posting generation (2, 3, … after a re-processing; absent for the first). */
  generation?: number;
  /** The payroll was cancelled: the batches that voided the posted accrual and reversal. */
  voidBatchNbrs?: string[];
  skipped?: string;
  error?: string;
}

export async function postingRecords(store: EventStore, connectionId: string): Promise<PostingRecord[]> {
  const prefix = `payroll-posting-${connectionId}-`;
  const events = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (!e.stream.startsWith(prefix)) continue;
    const list = byStream.get(e.stream);
    if (list) list.push(e);
    else byStream.set(e.stream, [e]);
  }
  const accruals = await accrualRecords(store, connectionId);
  const out: PostingRecord[] = [];
  for (const [stream, list] of byStream) {
    const domain = list.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[];
    const state = fold(domain, initialState);
    if (state.phase === 'none') continue;
    const payrollUuid = state.payrollUuid ?? stream.slice(prefix.length);
    out.push({ stream, payrollUuid, status: statusOf(state), state, accruals: accruals.get(payrollUuid) ?? [] });
  }
  return out;
}

async function accrualRecords(store: EventStore, connectionId: string): Promise<Map<string, AccrualRecord[]>> {
  const prefix = `payroll-accrual-${connectionId}-`;
  const events = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
  const byStream = new Map<string, PayrollAccrualEvent[]>();
  for (const e of events) {
    if (!e.stream.startsWith(prefix) || !isPayrollAccrualEvent(e)) continue;
    const list = byStream.get(e.stream) ?? [];
    list.push(e as unknown as PayrollAccrualEvent);
    byStream.set(e.stream, list);
  }
  const out = new Map<string, AccrualRecord[]>();
  for (const [stream, events] of byStream) {
    const s = foldAccrual(events);
    const month = s.month ?? stream.slice(-7);
    const payrollUuid = s.payrollUuid ?? stream.slice(prefix.length, -8);
    const credit = s.accrualJournal?.lines.find((l) => l.mappingKey.split(':')[0] === 'accruedPayroll');
    const voids = [s.accrualVoid.batchNbr, s.reversalVoid.batchNbr].filter((b): b is string => b !== undefined);
    const record: AccrualRecord = {
      month,
      status: statusOfAccrual(s),
      ...(s.generation > 1 ? { generation: s.generation } : {}),
      ...(voids.length > 0 ? { voidBatchNbrs: voids } : {}),
      ...(s.days === undefined ? {} : { days: s.days, periodDays: s.periodDays }),
      ...(credit ? { amount: credit.amount } : {}),
      ...(s.accrual.batchNbr ? { accrualBatchNbr: s.accrual.batchNbr } : {}),
      ...(s.reversal.batchNbr ? { reversalBatchNbr: s.reversal.batchNbr } : {}),
      ...(s.cancelled
        ? {}
        : s.accrual.skipped
          ? { skipped: s.accrual.skipped.reason }
          : s.reversal.skipped
            ? { skipped: s.reversal.skipped.reason }
            : {}),
      ...(s.lastError && !s.completed ? { error: s.lastError } : {}),
    };
    const list = out.get(payrollUuid) ?? [];
    list.push(record);
    out.set(
      payrollUuid,
      list.sort((a, b) => (a.generation ?? 1) - (b.generation ?? 1) || (a.month < b.month ? -1 : 1)),
    );
  }
  return out;
}
