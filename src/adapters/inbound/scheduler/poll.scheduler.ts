import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { LOGGER, type ContextLogger, type JsonLogger } from '../../logging/json-logger';
import { BackfillPoll } from '../../../application/inbox/backfill-poll';

export const POLL_JOB = 'backfill-poll';

/**
 * Runs the backfill poll on POLL_CRON. Registered at start (not with @Cron) because the expression comes
 * from the environment. A tick that finds the previous one still running is skipped, not queued.
 */
@Injectable()
export class PollScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: ContextLogger;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly registry: SchedulerRegistry,
    @Inject(BackfillPoll) private readonly poll: BackfillPoll,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: JsonLogger,
  ) {
    this.logger = logger.child('poll');
  }

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.pollCron,
      onTick: () => this.tick(),
      start: false,
      timeZone: 'UTC',
      unrefTimeout: true,
    });
    this.registry.addCronJob(POLL_JOB, job);
    job.start();
    this.logger.info('backfill poll scheduled', { cron: this.config.pollCron });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('cron', POLL_JOB)) {
      await this.registry.getCronJob(POLL_JOB).stop();
      this.registry.deleteCronJob(POLL_JOB);
    }
    await this.ticking;
  }

  /** One scheduled run over every connected connection (a round: see roundOf); exposed for tests. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.poll
      .pollAll('cron', roundOf(Date.now()))
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error('scheduled backfill poll failed', { error: (error as Error).message }),
      )
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }
}

/**
 * The round a tick serves: its scheduled time, which every instance computes alike. Cron schedules whole
 * seconds and fires at or after the scheduled time (never before: the cron library re-arms an early timer),
 * so the whole second at or before now is that time, for any tick less than a second late. (A tick later
 * than that would count as the next round.) Instances' clocks must agree to well under a second (NTP).
 */
export function roundOf(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString();
}
