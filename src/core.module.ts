import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { CLOCK, systemClock, type Clock } from './application/ports/clock.port';
import { EVENT_STORE, type EventStore } from './application/ports/event-store.port';
import { createEventStore } from './adapters/outbound/event-store/create-event-store';
import { JsonLogger, LOGGER } from './adapters/logging/json-logger';

export interface CoreOverrides {
  clock?: Clock;
  logger?: JsonLogger;
  eventStore?: EventStore;
}

/** Shared infrastructure every capability injects: configuration, the event store, the clock, the logger. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: AppConfig, logger: JsonLogger, overrides: CoreOverrides = {}): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        // Lazy by design: an unreachable KurrentDB must not stop the start; /health reports it.
        { provide: EVENT_STORE, useFactory: () => overrides.eventStore ?? createEventStore(config.eventStoreUrl) },
      ],
      exports: [APP_CONFIG, LOGGER, CLOCK, EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
