import type { PollLeaseEvent, PollLeaseTrigger } from './events';
import { isHeldAt, type PollLease } from './state';

/** Why a lease command was refused. */
export type PollLeaseError =
  | 'lease_held' // another holder's lease has not lapsed: it is polling this connection now
  | 'lease_lost'; // renewing a lease that is no longer ours (it lapsed and was taken over, or was released)

export type PollLeaseRefusal = { error: PollLeaseError; message: string; holder?: string; expiresAt?: string };
export type PollLeaseDecision = PollLeaseEvent[] | PollLeaseRefusal;

export const isLeaseRefusal = (d: PollLeaseDecision): d is PollLeaseRefusal => !Array.isArray(d);

const until = (now: Date, ttlMs: number): string => new Date(now.getTime() + ttlMs).toISOString();

/** A free or lapsed lease can be claimed; a live one cannot (not even by the same holder: one poll at a time). */
export function claim(state: PollLease, cmd: { leaseId: string; holder: string; trigger: PollLeaseTrigger; ttlMs: number }, now: Date): PollLeaseDecision {
  if (isHeldAt(state, now)) {
    return { error: 'lease_held', message: `a poll of this connection is running on ${state.holder} (lease until ${state.expiresAt})`, holder: state.holder, expiresAt: state.expiresAt };
  }
  const previousHolder = state.status === 'held' ? state.holder : undefined;
  return [
    {
      type: 'PollLeaseClaimed',
      data: { leaseId: cmd.leaseId, holder: cmd.holder, trigger: cmd.trigger, claimedAt: now.toISOString(), expiresAt: until(now, cmd.ttlMs), ...(previousHolder ? { previousHolder } : {}) },
    },
  ];
}

/** Pushes a running poll's lease forward, while it is still ours (the caller appends at the revision it read). */
export function renew(state: PollLease, cmd: { leaseId: string; ttlMs: number }, now: Date): PollLeaseDecision {
  if (state.status !== 'held' || state.leaseId !== cmd.leaseId) return { error: 'lease_lost', message: 'the poll lease lapsed and is no longer ours' };
  return [{ type: 'PollLeaseRenewed', data: { leaseId: cmd.leaseId, holder: state.holder, renewedAt: now.toISOString(), expiresAt: until(now, cmd.ttlMs) } }];
}

/** Frees the lease when done. Nothing to do when it is not ours any more (lapsed and taken over, or released). */
export function release(state: PollLease, cmd: { leaseId: string }, now: Date): PollLeaseEvent[] {
  if (state.status !== 'held' || state.leaseId !== cmd.leaseId) return [];
  return [{ type: 'PollLeaseReleased', data: { leaseId: cmd.leaseId, holder: state.holder, releasedAt: now.toISOString() } }];
}
