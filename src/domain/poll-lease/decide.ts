import { accept, type Accepted, type Refused } from '../shared/decision';
import type { PollLeaseEvent, PollLeaseTrigger } from './events';
import { isHeldAt, type PollLease } from './state';

/** Why a lease command was refused. */
export type PollLeaseError =
  | 'lease_held' // another holder's lease has not lapsed: it is polling this connection now
  | 'round_done' // this cron round was already polled (by another instance whose tick came first)
  | 'lease_lost'; // renewing a lease that is no longer ours (it lapsed and was taken over, or was released)

export type PollLeaseRefusal = Refused<PollLeaseError> & { message: string; holder?: string; expiresAt?: string };
export type PollLeaseDecision = Accepted<PollLeaseEvent> | PollLeaseRefusal;

const until = (now: Date, ttlMs: number): string => new Date(now.getTime() + ttlMs).toISOString();

/**
 * A free or lapsed lease can be claimed; a live one cannot (not even by the same holder: one poll at a time).
 * A cron claim names its round; a round the last released lease already served is not polled again.
 */
export function claim(
  state: PollLease,
  cmd: { leaseId: string; holder: string; trigger: PollLeaseTrigger; round?: string; ttlMs: number },
  now: Date,
): PollLeaseDecision {
  if (state.status === 'held' && isHeldAt(state, now)) {
    return {
      error: 'lease_held',
      message: `a poll of this connection is running on ${state.holder} (lease until ${state.expiresAt})`,
      holder: state.holder,
      expiresAt: state.expiresAt,
    };
  }
  if (state.status === 'free' && cmd.round !== undefined && state.lastRound === cmd.round) {
    return {
      error: 'round_done',
      message: `the scheduled poll of ${cmd.round} already ran on ${state.lastHolder ?? 'another instance'}`,
      holder: state.lastHolder,
    };
  }
  const previousHolder = state.status === 'held' ? state.holder : undefined;
  return accept({
    type: 'PollLeaseClaimed',
    data: {
      leaseId: cmd.leaseId,
      holder: cmd.holder,
      trigger: cmd.trigger,
      ...(cmd.round !== undefined ? { round: cmd.round } : {}),
      claimedAt: now.toISOString(),
      expiresAt: until(now, cmd.ttlMs),
      ...(previousHolder ? { previousHolder } : {}),
    },
  });
}

/** Pushes a running poll's lease forward, while it is still ours (the caller appends at the revision it read). */
export function renew(state: PollLease, cmd: { leaseId: string; ttlMs: number }, now: Date): PollLeaseDecision {
  if (state.status !== 'held' || state.leaseId !== cmd.leaseId)
    return { error: 'lease_lost', message: 'the poll lease lapsed and is no longer ours' };
  const round = state.round !== undefined ? { round: state.round } : {};
  return accept({
    type: 'PollLeaseRenewed',
    data: {
      leaseId: cmd.leaseId,
      holder: state.holder,
      ...round,
      renewedAt: now.toISOString(),
      expiresAt: until(now, cmd.ttlMs),
    },
  });
}

/** Frees the lease when done. Nothing to do when it is not ours any more (lapsed and taken over, or released). */
export function release(state: PollLease, cmd: { leaseId: string }, now: Date): Accepted<PollLeaseEvent> {
  if (state.status !== 'held' || state.leaseId !== cmd.leaseId) return accept();
  const round = state.round !== undefined ? { round: state.round } : {};
  return accept({
    type: 'PollLeaseReleased',
    data: { leaseId: cmd.leaseId, holder: state.holder, ...round, releasedAt: now.toISOString() },
  });
}
