import type { PollLeaseEvent } from './events';

export type PollLease =
  /** `lastRound`: the cron round the last released lease served. */
  | { status: 'free'; lastHolder?: string; lastRound?: string }
  | { status: 'held'; leaseId: string; holder: string; expiresAt: string; round?: string };

export const FREE_LEASE: PollLease = { status: 'free' };

/** Each event carries the whole lease: the state after it does not depend on the state before it. */
export function evolve(_state: PollLease, event: PollLeaseEvent): PollLease {
  switch (event.type) {
    case 'PollLeaseClaimed':
    case 'PollLeaseRenewed':
      return {
        status: 'held',
        leaseId: event.data.leaseId,
        holder: event.data.holder,
        expiresAt: event.data.expiresAt,
        ...(event.data.round ? { round: event.data.round } : {}),
      };
    case 'PollLeaseReleased':
      return {
        status: 'free',
        lastHolder: event.data.holder,
        ...(event.data.round ? { lastRound: event.data.round } : {}),
      };
    default: {
      const unexpected: never = event;
      throw new Error(`unknown poll lease event ${JSON.stringify(unexpected)}`);
    }
  }
}

export const fold = (events: readonly PollLeaseEvent[], state: PollLease = FREE_LEASE): PollLease =>
  events.reduce(evolve, state);

/** Held and not yet lapsed at `now`. */
export const isHeldAt = (state: PollLease, now: Date): boolean =>
  state.status === 'held' && Date.parse(state.expiresAt) > now.getTime();
