import type { Journal } from '../journal/journal';
import type { AcumaticaBatch, PayrollPostingEvent, PostingTrigger } from './events';
import { isReleasedStatus, type Decision } from './decide';
import type { PayrollPosting } from './state';

/** Cancellation in Gusto (payroll.cancelled): undo what reached the ledger, or stop what has not. */
export interface RequestReversal {
  connectionId: string;
  payrollUuid: string;
  trigger: PostingTrigger;
  sourceEventId?: string;
}

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
  switch (state.phase) {
    case 'none':
      // Heard of the payroll only through its cancellation (events out of order): remember it, so a late
      // request to post it changes nothing.
      return [cancelled(true)];
    case 'requested':
      // No journal was ever built, so no create can have reached Acumatica.
      return [cancelled(false)];
    case 'cancelled':
      return [];
    case 'built':
    case 'created':
    case 'posted':
      // In `built` a create may have committed without us hearing back: the saga looks the journal up
      // (check_original) before deciding between cancelling and reversing.
      if (state.reversal) return [];
      return [{ type: 'ReversalRequested', data: { trigger: cmd.trigger, sourceEventId: cmd.sourceEventId } }];
    default: {
      const unknown: never = state.phase;
      return unknown;
    }
  }
}

/** check_original found nothing: the payroll never reached the ledger, so cancelling is all there is to do. */
export function recordOriginalAbsent(state: PayrollPosting): Decision {
  if (state.phase !== 'built' || !state.reversal) return 'not_at_this_step';
  return [{ type: 'PostingCancelled', data: { trigger: state.reversal.trigger, reason: 'cancelled_before_posting' } }];
}

export function recordReversalBuilt(state: PayrollPosting, journal: Journal): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'requested') return 'not_at_this_step';
  return [{ type: 'ReversalJournalBuilt', data: { journal } }];
}

export function claimReversalCreation(state: PayrollPosting, leaseUntil: string, claimant: string): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'built') return 'not_at_this_step';
  return [{ type: 'JournalCreationStarted', data: { step: 'create_reversal', leaseUntil, claimant } }];
}

export function recordReversalInAcumatica(state: PayrollPosting, batch: AcumaticaBatch, found: boolean): Decision {
  const reversal = state.reversal;
  if (state.phase !== 'posted' || reversal?.phase !== 'built' || !reversal.journal) return 'not_at_this_step';
  const recorded: PayrollPostingEvent = { type: found ? 'ReversalJournalFound' : 'ReversalJournalCreated', data: batch };
  if (reversal.journal.header.release && !isReleasedStatus(batch.status)) return [recorded];
  return [recorded, reversed(state, batch.batchNbr)];
}

export function recordReversalReleased(state: PayrollPosting, batch: AcumaticaBatch): Decision {
  if (state.phase !== 'posted' || state.reversal?.phase !== 'created') return 'not_at_this_step';
  return [{ type: 'ReversalJournalReleased', data: batch }, reversed(state, batch.batchNbr)];
}

const reversed = (state: PayrollPosting, batchNbr: string): PayrollPostingEvent => ({
  type: 'PayrollReversed',
  data: { batchNbr, originalBatchNbr: state.batchNbr ?? '' },
});
