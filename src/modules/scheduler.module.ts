import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { CONNECTIONS, type Connections } from '../application/ports/connections.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { GUSTO, type GustoApi } from '../application/ports/gusto.port';
import { METRICS, type MetricsRegistry } from '../application/metrics/metrics.port';
import { BackfillPoll, type PollCommandDispatch } from '../application/inbox/backfill-poll';
import { DEFAULT_POLL_LEASE_TTL_MS, PollLeases } from '../application/inbox/poll-lease';
import { DEFAULT_POLL_WINDOW } from '../application/inbox/poll-window';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { PollScheduler } from '../adapters/inbound/scheduler/poll.scheduler';
import { SyncController } from '../adapters/inbound/scheduler/sync.controller';

/**
 * The backfill poll: on POLL_CRON and on POST /api/connections/:id/sync. Needs CONNECTIONS and GUSTO
 * (the connections capability), the CommandBus, and SchedulerRegistry (ScheduleModule.forRoot in AppModule).
 */
@Module({
  controllers: [SyncController],
  providers: [
    {
      provide: BackfillPoll,
      inject: [EVENT_STORE, CONNECTIONS, GUSTO, CommandBus, METRICS, CLOCK, LOGGER],
      useFactory: (
        store: EventStore,
        connections: Connections,
        gusto: GustoApi,
        bus: CommandBus,
        metrics: MetricsRegistry,
        clock: Clock,
        logger: JsonLogger,
      ) =>
        new BackfillPoll(
          store,
          connections,
          gusto,
          bus as unknown as PollCommandDispatch,
          metrics,
          clock,
          logger.child('poll'),
          DEFAULT_POLL_WINDOW,
          // One poll per connection at a time across every instance on this event store.
          new PollLeases(store, clock, {
            holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
            ttlMs: DEFAULT_POLL_LEASE_TTL_MS,
            newLeaseId: randomUUID,
          }),
        ),
    },
    PollScheduler,
  ],
  exports: [BackfillPoll, PollScheduler],
})
export class SchedulerModule {}
