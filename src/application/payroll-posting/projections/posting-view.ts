import type { Journal } from '../../../domain/journal/journal';
import type { BlockReason, PayrollFacts, PostingTrigger } from '../../../domain/payroll-posting/events';
import { reversalStatusOf, statusOf, type PayrollPosting, type PostingStatus, type ReversalStatus } from '../../../domain/payroll-posting/state';

/** GET /api/postings/:id (spec fields first; the rest helps an operator see why and when). */
export interface PostingView {
  id: string;
  connectionId: string;
  payrollUuid: string;
  status: PostingStatus;
  journal: Journal | null;
  acumatica: { batchNbr?: string; status?: string; released?: boolean };
  attempts: number;
  lastError?: { code: string; message: string; step: string; reasons?: BlockReason[] };
  reversal?: { status: ReversalStatus; batchNbr?: string; nextAttemptAt?: string; lastError?: { code: string; message: string; step: string } };
  trigger?: PostingTrigger;
  mappingVersion?: number;
  nextAttemptAt?: string;
  payroll?: PayrollFacts;
  createdAt: string;
  updatedAt: string;
  postedAt?: string;
  /** How many events the posting's stream holds (the audit trail's length). */
  events: number;
}

const errorOf = (run: { blocked?: BlockReason[]; lastError?: { step: string; message: string; code?: string } }) => {
  if (run.blocked && run.blocked.length > 0) {
    return {
      code: run.blocked[0]!.code,
      message: run.blocked.map((r) => r.message).join(' '),
      step: run.lastError?.step ?? 'build_journal',
      reasons: run.blocked,
    };
  }
  if (run.lastError) return { code: run.lastError.code ?? 'error', message: run.lastError.message, step: run.lastError.step };
  return undefined;
};

export interface ViewTimes {
  createdAt: string;
  updatedAt: string;
  postedAt?: string;
  events: number;
}

/** The read model row of one posting, derived only from its folded state and event times. */
export function toView(id: string, state: PayrollPosting, times: ViewTimes): PostingView {
  const view: PostingView = {
    id,
    connectionId: state.connectionId ?? '',
    payrollUuid: state.payrollUuid ?? '',
    status: statusOf(state),
    journal: state.journal ?? null,
    acumatica: state.batchNbr ? { batchNbr: state.batchNbr, status: state.acumaticaStatus, released: state.released } : {},
    attempts: state.attempts,
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
    events: times.events,
  };
  const lastError = errorOf(state);
  if (lastError) view.lastError = lastError;
  if (state.reversal) {
    const r = state.reversal;
    view.reversal = { status: reversalStatusOf(r) };
    if (r.batchNbr) view.reversal.batchNbr = r.batchNbr;
    if (r.nextAttemptAt) view.reversal.nextAttemptAt = r.nextAttemptAt;
    const reversalError = errorOf(r);
    if (reversalError) view.reversal.lastError = { code: reversalError.code, message: reversalError.message, step: reversalError.step };
  }
  if (state.trigger) view.trigger = state.trigger;
  if (state.mappingVersion !== undefined) view.mappingVersion = state.mappingVersion;
  if (state.nextAttemptAt) view.nextAttemptAt = state.nextAttemptAt;
  if (state.payroll) view.payroll = state.payroll;
  if (times.postedAt) view.postedAt = times.postedAt;
  return view;
}
