/** The inbox dispatcher's knobs and the slice of the CommandBus it uses (`inbox-dispatcher.ts`). */
import type { InboxCommand } from './event-routing';

/** The CommandBus as the dispatcher uses it (structural, so unit tests pass a fake). */
export interface CommandDispatch {
  execute(command: InboxCommand): Promise<unknown>;
}

export interface DispatcherOptions {
  /** Events handled at once (different entities); the subscription waits when all slots are busy. */
  concurrency: number;
  /** After this long a command counts as dispatched though its handler still runs, freeing the slot. */
  commandTimeoutMs: number;
  /** Waits between attempts when routing or dispatch throws; then the event is recorded as failed. */
  retryDelaysMs: number[];
  /** How often the checkpoint is written while events flow. */
  checkpointEveryMs: number;
  /** Wait before re-subscribing after the subscription failed. */
  resubscribeAfterMs: number;
  /** How long stop() waits for running events before letting the store close. */
  stopGraceMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  concurrency: 8,
  commandTimeoutMs: 30_000,
  retryDelaysMs: [500, 2_000, 10_000],
  checkpointEveryMs: 2_000,
  resubscribeAfterMs: 1_000,
  stopGraceMs: 5_000,
};
