import BigNumber from 'bignumber.js';
import { withGeneration } from '../journal/generation';
import type { Journal } from '../journal/journal';
import {
  REVERSAL_STEPS,
  isCreateStep,
  type AcumaticaBatch,
  type BlockReason,
  type PayrollFacts,
  type PayrollPostingEvent,
  type PostingStep,
  type PostingTrigger,
} from './events';
import { onJournalAbsent, type ClaimTerms } from './create-claim';
import { accept, refuse, type Decision as Outcome } from '../shared/decision';
import type { PayrollPosting } from './state';

/**
 * The PayrollPosting decider: one function per command, each given the folded state and returning the
 * events to append (none when the command is already satisfied: idempotent), or a named error.
 * Time and ids come in as arguments; nothing here reads a clock.
 */
export type PostingError =
  | 'posting_not_found' // no such posting
  | 'posting_cancelled' // the payroll was cancelled before it was posted
  | 'posting_reversed' // already posted and reversed: nothing left to re-run
  | 'not_at_this_step'; // a step's outcome arrived after the posting moved on (another run got there first)

export type Decision = Outcome<PayrollPostingEvent, PostingError>;

export interface RequestPosting {
  connectionId: string;
  payrollUuid: string;
  trigger: PostingTrigger;
  sourceEventId?: string;
}

/** A posting is requested once; repeats (duplicate webhooks, every later poll) change nothing. */
export function requestPosting(state: PayrollPosting, cmd: RequestPosting): Decision {
  if (state.phase !== 'none') return accept();
  return accept(postingRequested(cmd));
}

/** The event that opens a posting: also what a cancellation Gusto contradicts opens (decide-reversal.ts). */
export const postingRequested = (cmd: RequestPosting): PayrollPostingEvent => ({
  type: 'PostingRequested',
  data: {
    connectionId: cmd.connectionId,
    payrollUuid: cmd.payrollUuid,
    trigger: cmd.trigger,
    sourceEventId: cmd.sourceEventId,
  },
});

/**
 * Gusto shows processed again a payroll whose posting was cancelled before posting, or posted and then
 * reversed: a new generation of the posting (issue 14). Anything else (a live posting, a duplicate) is [].
 */
export function requestReprocessing(
  state: PayrollPosting,
  cmd: { trigger: PostingTrigger; sourceEventId?: string; gustoShows: 'processed' | 'unprocessed' | 'not_found' },
): Decision {
  if (!isReprocessable(state) || cmd.gustoShows !== 'processed') return accept();
  return accept({
    type: 'PostingReprocessed',
    data: { generation: (state.generation ?? 1) + 1, trigger: cmd.trigger, sourceEventId: cmd.sourceEventId },
  });
}

/** Cancelled before posting, or posted and reversed: a later processing in Gusto would be a new generation. */
export const isReprocessable = (state: PayrollPosting): boolean =>
  state.phase === 'cancelled' || (state.phase === 'posted' && state.reversal?.phase === 'reversed');

export type BuildOutcome =
  { ok: true; journal: Journal; mappingVersion: number } | { ok: false; reasons: BlockReason[] };

const isBalanced = (journal: Journal): boolean => {
  const sum = (side: 'debit' | 'credit') =>
    journal.lines.filter((l) => l.side === side).reduce((acc, l) => acc.plus(l.amount), new BigNumber(0));
  const debit = sum('debit');
  return (
    debit.isEqualTo(sum('credit')) && debit.isEqualTo(journal.totals.debit) && debit.isEqualTo(journal.totals.credit)
  );
};

/** The payroll was read and the journal built (or the build was blocked). */
export function recordPayrollRead(state: PayrollPosting, facts: PayrollFacts, outcome: BuildOutcome): Decision {
  if (state.phase !== 'requested' || state.reversal) return refuse('not_at_this_step');
  const fetched: PayrollPostingEvent = { type: 'PayrollFetched', data: facts };
  if (!outcome.ok)
    return accept(fetched, { type: 'PostingBlocked', data: { step: 'build_journal', reasons: outcome.reasons } });
  // A last guard in front of the ledger: never send a journal whose own lines disagree with its totals.
  if (!isBalanced(outcome.journal)) {
    const { debit, credit } = outcome.journal.totals;
    const reason: BlockReason = {
      code: 'unbalanced_journal',
      message: `The journal does not balance (debits ${debit}, credits ${credit}); nothing was posted.`,
    };
    return accept(fetched, { type: 'PostingBlocked', data: { step: 'build_journal', reasons: [reason] } });
  }
  const journal = state.generation === undefined ? outcome.journal : withGeneration(outcome.journal, state.generation);
  return accept(fetched, { type: 'JournalBuilt', data: { journal, mappingVersion: outcome.mappingVersion } });
}

/**
 * The lookup found no journal. With no live claim: claim the create (the saga appends this, then creates,
 * sending by the claim's `sendBy` or not at all). Under a live claim its create may still be queued in
 * Acumatica: record the miss and when to look again (create-claim.ts).
 */
export function recordJournalAbsent(state: PayrollPosting, now: Date, claimant: string, terms: ClaimTerms): Decision {
  if (state.phase !== 'built' || !state.journal || state.reversal) return refuse('not_at_this_step');
  return accept(onJournalAbsent(state, 'create_journal', now, claimant, terms));
}

/**
 * The journal is in Acumatica, found by its tag or just created. Without release that is the end of the
 * posting, so PayrollPosted goes into the same append.
 */
export function recordJournalInAcumatica(state: PayrollPosting, batch: AcumaticaBatch, found: boolean): Decision {
  if (state.phase !== 'built' || !state.journal) return refuse('not_at_this_step');
  const recorded: PayrollPostingEvent = { type: found ? 'ExistingJournalFound' : 'JournalCreated', data: batch };
  // A batch found already released (e.g. a previous run released it before crashing) needs no second release.
  const needsRelease = state.journal.header.release && !isReleasedStatus(batch.status);
  if (needsRelease) return accept(recorded);
  return accept(recorded, posted(state, batch.batchNbr));
}

export function recordJournalReleased(state: PayrollPosting, batch: AcumaticaBatch): Decision {
  if (state.phase !== 'created') return refuse('not_at_this_step');
  return accept({ type: 'JournalReleased', data: batch }, posted(state, batch.batchNbr));
}

const posted = (state: PayrollPosting, batchNbr: string): PayrollPostingEvent => ({
  type: 'PayrollPosted',
  data: { batchNbr, mappingVersion: state.mappingVersion ?? state.journal?.mappingVersion ?? 0 },
});

/** Acumatica statuses after a release: the batch no longer needs one. */
export const isReleasedStatus = (status: string): boolean => /^(unposted|posted|released)$/i.test(status.trim());

export interface AttemptFailure {
  step: PostingStep;
  error: string;
  errorKind?: string;
  retryable: boolean;
  /** When to try again if retryable (the caller applies back-off, jitter and Retry-After). */
  nextAttemptAt?: string;
  /** For a non-retryable failure: why, in an accountant's words. */
  reason?: BlockReason;
  /**
   * For a create step: true when the create certainly was not carried out (Acumatica refused it with a
   * 4xx/422/429, or it was never sent); false when it may still commit (timeout, reset, 5xx).
   */
  refused?: boolean;
}

/**
 * A step failed. Transient failures are retried at nextAttemptAt until maxAttempts failures in this run;
 * then, or at once for a permanent failure, the posting needs attention with the reason named.
 */
export function recordAttemptFailed(
  state: PayrollPosting,
  failure: AttemptFailure,
  policy: { maxAttempts: number },
): Decision {
  const forReversal = REVERSAL_STEPS.has(failure.step);
  if (state.phase === 'none' || state.phase === 'cancelled') return refuse('not_at_this_step');
  if (forReversal ? !state.reversal || state.reversal.phase === 'reversed' : state.phase === 'posted')
    return refuse('not_at_this_step');
  const run = forReversal && state.reversal ? state.reversal : state;
  if (run.blocked) return refuse('not_at_this_step');
  const attempt = run.failures + 1;
  const willRetry = failure.retryable && attempt < policy.maxAttempts && failure.nextAttemptAt !== undefined;
  const failed: PayrollPostingEvent = {
    type: 'AttemptFailed',
    data: {
      step: failure.step,
      attempt,
      retryable: failure.retryable,
      nextAttemptAt: willRetry ? failure.nextAttemptAt : undefined,
      error: failure.error,
      errorKind: failure.errorKind,
      // The saga always says (classifyFailure); left unsaid, the event reads as older logs do: refused.
      ...(isCreateStep(failure.step) && failure.refused !== undefined
        ? { createOutcome: failure.refused ? ('refused' as const) : ('unknown' as const) }
        : {}),
    },
  };
  if (willRetry) return accept(failed);
  const reason: BlockReason = failure.retryable
    ? {
        code: 'retries_exhausted',
        message: `Gave up after ${attempt} attempts: ${failure.error}. Nothing was posted twice; replay the posting once the system is reachable.`,
      }
    : (failure.reason ?? { code: 'rejected_by_acumatica', message: failure.error });
  return accept(failed, { type: 'PostingBlocked', data: { step: failure.step, reasons: [reason] } });
}

/** An operator re-runs the posting after a fix. Still exactly once: an existing journal is found, not duplicated. */
export function replayPosting(state: PayrollPosting, cmd: { mappingVersion?: number; requestedBy?: string }): Decision {
  if (state.phase === 'none') return refuse('posting_not_found');
  if (state.phase === 'cancelled') return refuse('posting_cancelled');
  if (state.reversal?.phase === 'reversed') return refuse('posting_reversed');
  return accept({
    type: 'PostingReplayed',
    data: { mappingVersion: cmd.mappingVersion, requestedBy: cmd.requestedBy },
  });
}
