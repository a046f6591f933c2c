import type { PollLeaseEvent } from './events';

export type PollLease =
  | { status: 'free'; lastHolder?: string }
  | { status: 'held'; leaseId: string; holder: string; expiresAt: string };

export const FREE_LEASE: PollLease = { status: 'free' };

/** Each event carries the whole lease: the state after it does not depend on the state before it. */
export function evolve(_state: PollLease, event: PollLeaseEvent): PollLease {
  switch (event.type) {
    case 'PollLeaseClaimed':
    case 'PollLeaseRenewed':
      return { status: 'held', leaseId: event.data.leaseId, holder: event.data.holder, expiresAt: event.data.expiresAt };
    case 'PollLeaseReleased':
      return { status: 'free', lastHolder: event.data.holder };
    default: {
      const unexpected: never = event;
      throw new Error(`unknown poll lease event ${JSON.stringify(unexpected)}`);
    }
  }
}

export const fold = (events: readonly PollLeaseEvent[], state: PollLease = FREE_LEASE): PollLease => events.reduce(evolve, state);

/** Held and not yet lapsed at `now`. */
export const isHeldAt = (state: PollLease, now: Date): state is Extract<PollLease, { status: 'held' }> =>
  state.status === 'held' && Date.parse(state.expiresAt) > now.getTime();
