import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { nextStep } from '../../domain/payroll-posting/next-step';
import { CLOCK, type Clock } from '../ports/clock.port';
import { PostingSaga } from './posting-saga';
import { PostingsProjection } from './projections/postings-projection';

export const SCHEDULER_SETTINGS = Symbol('POSTING_SCHEDULER_SETTINGS');
export interface SchedulerSettings {
  /** How often the sweep looks for due retries and stalled postings. */
  sweepMs: number;
  /** A pending posting untouched this long (and not running here) is assumed orphaned by a crash elsewhere. */
  stalledAfterMs: number;
}

/**
 * Retries live in the log (AttemptFailed.nextAttemptAt), so this loop only has to look: at start it
 * resumes every posting that is not settled (a crash at any step), then it sweeps the read model for due
 * retries. The saga's own timers make retries prompt; the sweep is what survives restarts.
 */
@Injectable()
export class PostingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly saga: PostingSaga,
    private readonly projection: PostingsProjection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional()
    @Inject(SCHEDULER_SETTINGS)
    private readonly settings: SchedulerSettings = { sweepMs: 1000, stalledAfterMs: 120_000 },
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the HTTP server must not wait for the catch-up of a large log.
    void this.projection
      .start()
      .then(() => {
        if (this.stopped) return;
        // After a crash: a create claimed before it is looked up at once, not after waiting out its claim.
        for (const { stream } of this.projection.unsettled()) this.saga.kick(stream, { recovering: true });
        this.schedule();
      })
      .catch(() => this.schedule());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One sweep: kicks every posting whose next step is due and that is not already running here. */
  sweep(): number {
    const now = this.clock.now();
    let kicked = 0;
    for (const { stream, state, view } of this.projection.unsettled()) {
      if (this.saga.isRunning(stream)) continue;
      const stalled = now.getTime() - Date.parse(view.updatedAt) > this.settings.stalledAfterMs;
      // A stalled posting is resumed as after a crash: a claimed create's journal is looked up at once.
      const next = nextStep(state, now, { recovering: stalled });
      // A retry whose time has come, or a run nobody seems to be driving. A merely pending posting is
      // left alone: its own run (here or on another instance) is in flight.
      const retryDue = view.status === 'failed' || view.reversal?.status === 'failed';
      const due = next.kind === 'run' && (retryDue || stalled);
      if (due) {
        this.saga.kick(stream, { recovering: stalled });
        kicked += 1;
      }
    }
    return kicked;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      try {
        this.sweep();
      } finally {
        this.schedule();
      }
    }, this.settings.sweepMs);
    this.timer.unref();
  }
}
