import type { Journal } from '../../../domain/journal/journal';
import type { BlockReason, PayrollFacts, PostingTrigger } from '../../../domain/payroll-posting/events';
import { waitingOf, type Waiting } from '../../../domain/payroll-posting/create-claim';
import type { AccrualView } from './accrual-view';
import {
  reversalStatusOf,
  statusOf,
  type PayrollPosting,
  type PostingStatus,
  type ReversalStatus,
} from '../../../domain/payroll-posting/state';

/** GET /api/postings/:id (spec fields first; the rest helps an operator see why and when). */
export interface PostingView {
  id: string;
  connectionId: string;
  payrollUuid: string;
  status: PostingStatus;
  journal: Journal | null;
  acumatica: { batchNbr?: string; status?: string; released?: boolean };
  attempts: number;
  /** Why it is not posted (yet), in an accountant's words; `details` keeps the outside system's own words. */
  lastError?: { code: string; message: string; step: string; reasons?: BlockReason[]; details?: string[] };
  reversal?: {
    status: ReversalStatus;
    batchNbr?: string;
    nextAttemptAt?: string;
    lastError?: { code: string; message: string; step: string };
    waiting?: Waiting;
  };
  /**
   * What the posting waits for, and until when: `queued_create` (a create that may still commit in
   * Acumatica's licence queue until `until`: nobody creates before, lookups at `nextCheckAt`) or `retry`.
   */
  waiting?: Waiting;
  trigger?: PostingTrigger;
  mappingVersion?: number;
  nextAttemptAt?: string;
  payroll?: PayrollFacts;
  createdAt: string;
  updatedAt: string;
  postedAt?: string;
  /** How many events the posting's stream holds (the audit trail's length). */
  events: number;
  /**
   * Month-end accruals (issue 14; absent when none): per month, status, the batch of the accrual and of its
   * reversal, why skipped, the last error. `needs_attention` waits for a fix and
   * `POST /api/postings/:id/accruals/:month/replay`.
   */
  accruals?: AccrualView[];
}

/** What a transient failure means to an accountant; the system's own words stay in `details`. */
const TRANSIENT: Record<string, string> = {
  rate_limited: 'was busy (too many requests)',
  unavailable: 'could not be reached',
  timeout: 'did not answer in time',
  login_limit: 'had no free API login',
};

const systemOf = (step: string): string =>
  step === 'fetch_payroll' ? 'Gusto' : step === 'build_journal' ? 'The connector' : 'Acumatica';

const errorOf = (run: {
  blocked?: BlockReason[];
  nextAttemptAt?: string;
  lastError?: { step: string; message: string; code?: string };
}) => {
  if (run.blocked && run.blocked.length > 0) {
    return {
      code: run.blocked[0].code,
      message: run.blocked.map((r) => r.message).join(' '),
      step: run.lastError?.step ?? 'build_journal',
      reasons: run.blocked,
    };
  }
  if (run.lastError) {
    const { step, code, message } = run.lastError;
    const what = TRANSIENT[code ?? ''] ?? `failed (${message})`;
    const when = run.nextAttemptAt
      ? ` Nothing was posted twice; the connector tries again at ${run.nextAttemptAt}.`
      : '';
    return {
      code: code ?? 'error',
      message: `${systemOf(step)} ${what} while ${STEP_WORDS[step] ?? step}.${when}`,
      step,
      details: [message],
    };
  }
  return undefined;
};

const STEP_WORDS: Record<string, string> = {
  fetch_payroll: 'reading the payroll',
  build_journal: 'building the journal',
  find_journal: 'checking for an existing journal',
  create_journal: 'creating the journal',
  release_journal: 'releasing the journal',
  check_original: 'checking whether the cancelled payroll was posted',
  find_reversal: 'checking for an existing reversing journal',
  create_reversal: 'creating the reversing journal',
  release_reversal: 'releasing the reversing journal',
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
    acumatica: state.batchNbr
      ? { batchNbr: state.batchNbr, status: state.acumaticaStatus, released: state.released }
      : {},
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
    if (reversalError)
      view.reversal.lastError = { code: reversalError.code, message: reversalError.message, step: reversalError.step };
    const reversalWaiting = r.phase === 'reversed' ? undefined : waitingOf(r);
    if (reversalWaiting) view.reversal.waiting = reversalWaiting;
  }
  if (state.trigger) view.trigger = state.trigger;
  if (state.mappingVersion !== undefined) view.mappingVersion = state.mappingVersion;
  if (state.nextAttemptAt) view.nextAttemptAt = state.nextAttemptAt;
  const waiting = state.phase === 'posted' || state.phase === 'cancelled' ? undefined : waitingOf(state);
  if (waiting) view.waiting = waiting;
  if (state.payroll) view.payroll = state.payroll;
  if (times.postedAt) view.postedAt = times.postedAt;
  return view;
}
