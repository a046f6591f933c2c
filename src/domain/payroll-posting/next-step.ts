import { claimIsLive } from './create-claim';
import type { PayrollPosting, RunState } from './state';
import { required } from '../shared/required';

/**
 * A unit of work of the saga. Each is one load → (outside calls) → decide → append; `post` covers the
 * lookup and the create together because a create must always be preceded by a fresh lookup (that is
 * what makes a lost response after Acumatica committed harmless).
 */
export type PostingWork =
  | 'build' // read the payroll from Gusto, build the journal with the current mapping
  | 'post' // find the journal by its tag in Acumatica, create it when absent
  | 'release' // release the batch (mapping journal.release)
  | 'check_original' // cancelled before we knew whether a create went through: look the journal up
  | 'build_reversal'
  | 'post_reversal'
  | 'release_reversal';

export type NextStep =
  | { kind: 'run'; work: PostingWork }
  | { kind: 'wait'; until: string }
  | { kind: 'idle'; reason: 'not_requested' | 'settled' | 'needs_attention' };

/**
 * Under a live claim (create-claim.ts) a run may only look the journal up: when a lookup is due (at once
 * when `recovering`: after a restart, or for a posting nobody seems to drive), else it waits for the next.
 * A claim from before the queue limit existed is a plain lease: wait it out, as then.
 */
const underClaim = (run: RunState, now: Date, work: PostingWork, recovering: boolean): NextStep | null => {
  if (!claimIsLive(run, now)) return null;
  if (!run.claim?.sentAt) return { kind: 'wait', until: required(run.claimedUntil, "the live claim's deadline") };
  if (run.nextAttemptAt && Date.parse(run.nextAttemptAt) > now.getTime())
    return { kind: 'wait', until: run.nextAttemptAt };
  const due = run.claim.checkDueAt;
  if (recovering || !due || Date.parse(due) <= now.getTime()) return { kind: 'run', work };
  return { kind: 'wait', until: due };
};

const gate = (run: RunState, now: Date, work: PostingWork, recovering: boolean): NextStep | null => {
  if (run.blocked) return { kind: 'idle', reason: 'needs_attention' };
  const claim = underClaim(run, now, work, recovering);
  if (claim) return claim;
  if (run.nextAttemptAt && Date.parse(run.nextAttemptAt) > now.getTime())
    return { kind: 'wait', until: run.nextAttemptAt };
  return null;
};

export interface NextStepOptions {
  /**
   * The caller resumes a posting it was not driving (at start after a crash, or one stalled elsewhere): a
   * live claim's journal is looked up at once instead of at the next due lookup.
   */
  recovering?: boolean;
}

/** What the saga should do next with this posting at `now` (retries wait for their nextAttemptAt). */
export function nextStep(state: PayrollPosting, now: Date, options: NextStepOptions = {}): NextStep {
  const reversal = state.reversal;
  const recovering = options.recovering === true;
  switch (state.phase) {
    case 'none':
      return { kind: 'idle', reason: 'not_requested' };
    case 'cancelled':
      return { kind: 'idle', reason: 'settled' };
    case 'requested':
      return gate(state, now, 'build', recovering) ?? { kind: 'run', work: 'build' };
    case 'built':
      // A create that may still commit must land (or be past committing) before we can tell whether a journal exists.
      if (reversal)
        return (
          underClaim(state, now, 'check_original', recovering) ??
          gate(reversal, now, 'check_original', recovering) ?? { kind: 'run', work: 'check_original' }
        );
      return gate(state, now, 'post', recovering) ?? { kind: 'run', work: 'post' };
    case 'created':
      return gate(state, now, 'release', recovering) ?? { kind: 'run', work: 'release' };
    case 'posted': {
      if (!reversal || reversal.phase === 'reversed') return { kind: 'idle', reason: 'settled' };
      const work: PostingWork =
        reversal.phase === 'requested'
          ? 'build_reversal'
          : reversal.phase === 'built'
            ? 'post_reversal'
            : 'release_reversal';
      return gate(reversal, now, work, recovering) ?? { kind: 'run', work };
    }
    default: {
      const unknown: never = state.phase;
      return unknown;
    }
  }
}
