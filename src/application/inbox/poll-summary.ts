/** What a backfill poll answers (`backfill-poll.ts`): its trigger, who asked, and the summary of the run. */
import type { DateWindow } from './poll-window';

export type PollTrigger = 'cron' | 'manual';

/** The API caller behind a manual poll (POST …/sync): the actor of the events it causes. */
export interface RequestedBy {
  id: string;
  name?: string;
}

export interface PollSummary {
  connectionId: string;
  /** completed: listed and requested everything; skipped: not connected to Gusto; busy: a poll was already running. */
  status: 'completed' | 'skipped' | 'busy' | 'failed';
  /**
   * Why busy: `running_here` (this instance is polling the connection), `running_elsewhere` (another
   * instance holds the poll lease: `heldBy`, until `leaseUntil`), `round_done` (this cron round was
   * already polled by another instance), `lease_lost` (this poll outlived its lease and stopped).
   */
  busy?: 'running_here' | 'running_elsewhere' | 'round_done' | 'lease_lost';
  heldBy?: string;
  leaseUntil?: string;
  /** What a failed poll could not reach: Gusto (listing payrolls) or the event store (claiming the poll lease). */
  failedOn?: 'gusto' | 'event_store';
  windows?: DateWindow[];
  payrollsSeen: number;
  externalSkipped: number;
  alreadyKnown: number;
  /** Payroll uuids that had no posting and were requested now. */
  requested: string[];
  /**
   * Payroll uuids whose posting was cancelled or reversed and which Gusto lists processed again (its
   * payroll.processed was lost): requested now, a new generation when Gusto confirms (issue 14). Absent when none.
   */
  reprocessed?: string[];
  employees?: 'requested' | 'failed';
  error?: string;
}

export const emptySummary = (connectionId: string): PollSummary => ({
  connectionId,
  status: 'completed',
  payrollsSeen: 0,
  externalSkipped: 0,
  alreadyKnown: 0,
  requested: [],
});
