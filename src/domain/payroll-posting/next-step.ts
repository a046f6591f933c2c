import type { PayrollPosting, RunState } from './state';

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

const claimed = (run: RunState, now: Date): NextStep | null =>
  run.claimedUntil && Date.parse(run.claimedUntil) > now.getTime() ? { kind: 'wait', until: run.claimedUntil } : null;

const gate = (run: RunState, now: Date): NextStep | null => {
  if (run.blocked) return { kind: 'idle', reason: 'needs_attention' };
  // Another run (maybe a dead one) is creating: wait out its lease, then look the journal up.
  if (run.claimedUntil && Date.parse(run.claimedUntil) > now.getTime()) return { kind: 'wait', until: run.claimedUntil };
  if (run.nextAttemptAt && Date.parse(run.nextAttemptAt) > now.getTime()) return { kind: 'wait', until: run.nextAttemptAt };
  return null;
};

/** What the saga should do next with this posting at `now` (retries wait for their nextAttemptAt). */
export function nextStep(state: PayrollPosting, now: Date): NextStep {
  const reversal = state.reversal;
  switch (state.phase) {
    case 'none':
      return { kind: 'idle', reason: 'not_requested' };
    case 'cancelled':
      return { kind: 'idle', reason: 'settled' };
    case 'requested':
      return gate(state, now) ?? { kind: 'run', work: 'build' };
    case 'built':
      // A create in flight must land (or its lease lapse) before we can tell whether a journal exists.
      if (reversal) return claimed(state, now) ?? gate(reversal, now) ?? { kind: 'run', work: 'check_original' };
      return gate(state, now) ?? { kind: 'run', work: 'post' };
    case 'created':
      return gate(state, now) ?? { kind: 'run', work: 'release' };
    case 'posted': {
      if (!reversal || reversal.phase === 'reversed') return { kind: 'idle', reason: 'settled' };
      const work: PostingWork = reversal.phase === 'requested' ? 'build_reversal' : reversal.phase === 'built' ? 'post_reversal' : 'release_reversal';
      return gate(reversal, now) ?? { kind: 'run', work };
    }
    default: {
      const unknown: never = state.phase;
      return unknown;
    }
  }
}
