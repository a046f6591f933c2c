import { eventTypes } from '../shared/event-types';
/**
 * The poll lease's story (stream `poll-lease-<connectionId>`): who may run the backfill poll of one
 * connection right now, across every instance on the same event store. Only the LAST event matters (each
 * event carries the whole lease), so the stream is read one event at a time however long it grows.
 */

export type PollLeaseTrigger = 'cron' | 'manual';

export type PollLeaseEvent =
  /**
   * `round`: the scheduled time of the cron tick this poll serves (ISO), absent for a manual sync.
   * `previousHolder`: the claim took over a lease that had lapsed (its holder died or hung).
   */
  | {
      type: 'PollLeaseClaimed';
      data: {
        leaseId: string;
        holder: string;
        trigger: PollLeaseTrigger;
        round?: string;
        claimedAt: string;
        expiresAt: string;
        previousHolder?: string;
      };
    }
  | {
      type: 'PollLeaseRenewed';
      data: { leaseId: string; holder: string; round?: string; renewedAt: string; expiresAt: string };
    }
  /** `round` repeats the claim's: every instance's tick of that round finds it done. */
  | { type: 'PollLeaseReleased'; data: { leaseId: string; holder: string; round?: string; releasedAt: string } };

export const POLL_LEASE_EVENT_TYPES = eventTypes<PollLeaseEvent>()([
  'PollLeaseClaimed',
  'PollLeaseRenewed',
  'PollLeaseReleased',
]);
