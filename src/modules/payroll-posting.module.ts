import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { statusOf } from '../domain/payroll-posting/state';
import { POSTING_COMMAND_HANDLERS } from '../application/payroll-posting/command-handlers';
import { PostingMetrics } from '../application/payroll-posting/posting-metrics';
import { POSTING_OBSERVER, PostingSaga, type PostingObserver } from '../application/payroll-posting/posting-saga';
import {
  PostingScheduler,
  SCHEDULER_SETTINGS,
  type SchedulerSettings,
} from '../application/payroll-posting/posting-scheduler';
import { PostingPreview } from '../application/payroll-posting/preview';
import { AuditEvents } from '../application/payroll-posting/projections/audit-query';
import { PostingsProjection } from '../application/payroll-posting/projections/postings-projection';
import { ReadModelRegistry } from '../application/payroll-posting/projections/read-model-registry';
import { RETRY_SETTINGS, type RetrySettings } from '../application/payroll-posting/retry-policy';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import {
  READ_MODEL_STORE,
  type ReadModelStore,
} from '../application/payroll-posting/projections/read-model-store.port';
import { SqliteEventStore } from '../adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../adapters/outbound/read-models/sqlite-read-model-store';
import { AuditController } from '../adapters/inbound/http/postings/audit.controller';
import { PostingsController } from '../adapters/inbound/http/postings/postings.controller';
import { PreviewController } from '../adapters/inbound/http/postings/preview.controller';

/** Metrics, plus one log line per status change and per unexpected failure (an operator's view). */
function postingObserver(metrics: PostingMetrics, logger: JsonLogger): PostingObserver {
  return {
    appended(stream, events, before, after, metadata) {
      metrics.appended(stream, events, before, after, metadata);
      const was = before.phase === 'none' ? undefined : statusOf(before);
      const now = statusOf(after.state);
      if (now === was && !events.some((e) => e.type === 'PayrollReversed')) return;
      const blocked = after.state.blocked?.map((r) => r.code);
      logger.write(
        now === 'needs_attention' ? 'warn' : 'info',
        `posting ${now}`,
        {
          stream,
          events: events.map((e) => e.type),
          batchNbr: after.state.batchNbr,
          ...(blocked ? { reasons: blocked } : {}),
          ...(after.state.nextAttemptAt ? { nextAttemptAt: after.state.nextAttemptAt } : {}),
        },
        'PostingSaga',
      );
    },
    stepFailed(stream, error) {
      // Not an outside system's answer (those become AttemptFailed): the store or a bug. The sweep retries.
      logger.write(
        'error',
        'posting step failed unexpectedly',
        { stream, error: error instanceof Error ? error.message : String(error) },
        'PostingSaga',
      );
    },
  };
}

/**
 * Where the persistent read models live: MLC_READ_MODEL_PATH, else the embedded store's own file (the
 * audit index then joins the events table), else a file in the data folder (KurrentDB: one per instance).
 */
function readModelStore(config: AppConfig, store: EventStore): ReadModelStore {
  if (config.readModelPath) return new SqliteReadModelStore(config.readModelPath);
  if (store instanceof SqliteEventStore)
    return new SqliteReadModelStore(store.file.startsWith(':memory:') ? ':memory:' : store.file);
  return new SqliteReadModelStore(join(config.dataDir, 'read-models.db'));
}

/**
 * The posting pipeline: PayrollPosting decider + saga (commands through the CommandBus), its retry
 * scheduler, the postings read model, the audit endpoints and the preview. GUSTO, ACUMATICA and
 * CONNECTIONS come from the (global) connections module; METRICS from the (global) metrics module.
 * Global so other capabilities can register their read models with ReadModelRegistry.
 */
@Global()
@Module({
  controllers: [PostingsController, PreviewController, AuditController],
  providers: [
    {
      provide: RETRY_SETTINGS,
      inject: [APP_CONFIG],
      // A create claim stands while the create may still commit: until ACUMATICA_QUEUE_LIMIT_S after it was sent.
      useFactory: (config: AppConfig): RetrySettings => ({
        ...config.retry,
        queueLimitMs: config.acumaticaQueueLimitS * 1000,
      }),
    },
    {
      provide: SCHEDULER_SETTINGS,
      inject: [APP_CONFIG],
      // Sweeps follow the retry base so quick-retry test configurations are also quick to resume.
      // A posting nobody has touched for stalledAfterMs is picked up by any instance's sweep: 2 min by
      // default, scaled down with the retry base like the sweep.
      useFactory: (config: AppConfig): SchedulerSettings => ({
        sweepMs: Math.min(1000, Math.max(25, config.retry.baseMs)),
        stalledAfterMs: Math.min(120_000, Math.max(1000, config.retry.baseMs * 60)),
      }),
    },
    PostingMetrics,
    { provide: POSTING_OBSERVER, inject: [PostingMetrics, LOGGER], useFactory: postingObserver },
    PostingSaga,
    { provide: READ_MODEL_STORE, inject: [APP_CONFIG, EVENT_STORE], useFactory: readModelStore },
    PostingsProjection,
    PostingScheduler,
    AuditEvents,
    PostingPreview,
    ReadModelRegistry,
    ...POSTING_COMMAND_HANDLERS,
  ],
  exports: [ReadModelRegistry, PostingsProjection],
})
export class PayrollPostingModule implements OnModuleInit {
  constructor(
    @Inject(ReadModelRegistry) private readonly registry: ReadModelRegistry,
    @Inject(PostingsProjection) private readonly postings: PostingsProjection,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'postings',
      rebuild: () => this.postings.rebuild(),
      progress: () => this.postings.progress(),
    });
  }
}
