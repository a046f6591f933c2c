import type { Journal } from '../journal/journal';
import type { AcumaticaBatch, PayrollPostingEvent, PostingTrigger } from './events';
import { claimIsLive, onJournalAbsent, queuedCreateAwaited, type ClaimTerms } from './create-claim';
import { accept, refuse } from '../shared/decision';
import { isReleasedStatus, postingRequested, type Decision } from './decide';
import type { PayrollPosting } from './state';

/** What Gusto shows for the payroll when the cancellation is handled (re-read: the webhook only names it). */
export type GustoPayrollShows = 'unprocessed' | 'processed' | 'not_found';

/** Cancellation in Gusto (payroll.cancelled): undo what reached the ledger, or stop what has not — if Gusto agrees. */
export interface RequestReversal {
  connectionId: string;
  payrollUuid: string;
  trigger: PostingTrigger;
  sourceEventId?: string;
  /** Gusto's answer, read just now. Only `unprocessed` (or, before anything was posted, `not_found`) is a cancellation. */
  gustoShows: GustoPayrollShows;
  /** Gusto's processed_date, when it shows the payroll processed (for the audit trail). */
  processedDate?: string | null;
}

/**
 * No webhook alone moves money: a reversing journal is posted only when Gusto itself shows the payroll
 * unprocessed. When it still shows it processed, the claim is recorded as contradicted and nothing moves;
 * a payroll Gusto does not know at all is never reversed (no positive evidence) but is not posted either.
 */
export function requestReversal(state: PayrollPosting, cmd: RequestReversal): Decision {
  const cancelled = (withIds: boolean): PayrollPostingEvent => ({
    type: 'PostingCancelled',
    data: {
      trigger: cmd.trigger,
      sourceEventId: cmd.sourceEventId,
      reason: 'cancelled_before_posting',
      ...(withIds ? { connectionId: cmd.connectionId, payrollUuid: cmd.payrollUuid } : {}),
    },
  });
  const contradicted = (gustoShows: 'processed' | 'not_found'): PayrollPostingEvent => ({
    type: 'CancellationContradicted',
    data: {
      trigger: cmd.trigger,
      sourceEventId: cmd.sourceEventId,
      gustoShows,
      ...(cmd.processedDate ? { processedDate: cmd.processedDate } : {}),
    },
  });
  const stillProcessed = cmd.gustoShows === 'processed';
  switch (state.phase) {
    case 'none':
      // Gusto shows it processed: it belongs in the ledger, whatever the event said — post it.
      if (stillProcessed) {
        return accept(postingRequested(cmd), contradicted('processed'));
      }
      // Heard of the payroll only through its cancellation (events out of order): remember it, so a late
      // request to post it changes nothing.
      return accept(cancelled(true));
    case 'requested':
      // No journal was ever built, so no create can have reached Acumatica.
      return accept(stillProcessed ? contradicted('processed') : cancelled(false));
    case 'cancelled':
      return stillProcessed ? accept(contradicted('processed')) : accept();
    case 'built':
    case 'created':
    case 'posted':
      // In `built` a create may have committed without us hearing back: the saga looks the journal up
      // (check_original) before deciding between cancelling and reversing.
      if (state.reversal) return accept();
      if (cmd.gustoShows !== 'unprocessed') return accept(contradicted(cmd.gustoShows));
      return accept({ type: 'ReversalRequested', data: { trigger: cmd.trigger, sourceEventId: cmd.sourceEventId } });
    default: {
      const unknown: never = state.phase;
      return unknown;
    }
  }
}

/**
 * check_original found nothing. While a create claimed earlier may still commit (`now` before its
 * mayCommitUntil), nothing is settled: record the miss and look again. Otherwise the payroll never reached
 * the ledger, so cancelling is all there is to do. Without `now` the caller states that no claim is live.
 */
export function recordOriginalAbsent(state: PayrollPosting, now?: Date): Decision {
  if (state.phase !== 'built' || !state.reversal) return refuse('not_at_this_step');
  if (now && claimIsLive(state, now)) return accept(queuedCreateAwaited(state, 'create_journal', now));
  return accept({
    type: 'PostingCancelled',
    data: { trigger: state.reversal.trigger, reason: 'cancelled_before_posting' },
  });
}

export function recordReversalBuilt(state: PayrollPosting, journal: Journal): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'requested') return refuse('not_at_this_step');
  return accept({ type: 'ReversalJournalBuilt', data: { journal } });
}

/** The reversing journal's lookup found nothing: claim its create, or wait for a create that may still commit. */
export function recordReversalAbsent(state: PayrollPosting, now: Date, claimant: string, terms: ClaimTerms): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'built') return refuse('not_at_this_step');
  return accept(onJournalAbsent(state.reversal, 'create_reversal', now, claimant, terms));
}

export function recordReversalInAcumatica(state: PayrollPosting, batch: AcumaticaBatch, found: boolean): Decision {
  const reversal = state.reversal;
  if (state.phase !== 'posted' || reversal?.phase !== 'built' || !reversal.journal) return refuse('not_at_this_step');
  const recorded: PayrollPostingEvent = {
    type: found ? 'ReversalJournalFound' : 'ReversalJournalCreated',
    data: batch,
  };
  if (reversal.journal.header.release && !isReleasedStatus(batch.status)) return accept(recorded);
  return accept(recorded, reversed(state, batch.batchNbr));
}

export function recordReversalReleased(state: PayrollPosting, batch: AcumaticaBatch): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'created') return refuse('not_at_this_step');
  return accept({ type: 'ReversalJournalReleased', data: batch }, reversed(state, batch.batchNbr));
}

const reversed = (state: PayrollPosting, batchNbr: string): PayrollPostingEvent => ({
  type: 'PayrollReversed',
  data: { batchNbr, originalBatchNbr: state.batchNbr ?? '' },
});
