import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { VAULT, type Vault } from '../application/ports/vault.port';
import { METRICS, type MetricsRegistry } from '../application/metrics/metrics.port';
import { ConsoleSessions } from '../application/console/console-sessions';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { SignInThrottle } from '../adapters/inbound/http/auth/sign-in-throttle';
import { SessionController } from '../adapters/inbound/http/console/session.controller';
import { ConsoleStaticController } from '../adapters/inbound/http/console/console-static.controller';

/** A console session lasts a working day; then the browser signs in again. */
export const CONSOLE_SESSION_TTL_MS = 8 * 60 * 60_000;

/**
 * The web console's server side (issue 16): sign-in sessions (cookie + CSRF), the endpoints the browser
 * needs beside the v1 API, and the built app at /console. Global, because the /api guard of every
 * capability authenticates session cookies and counts wrong keys with the one throttle.
 */
@Global()
@Module({
  controllers: [SessionController, ConsoleStaticController],
  providers: [
    { provide: SignInThrottle, inject: [LOGGER, METRICS], useFactory: (logger: JsonLogger, metrics: MetricsRegistry) => new SignInThrottle(logger, metrics) },
    {
      provide: ConsoleSessions,
      inject: [EVENT_STORE, VAULT, CLOCK, APP_CONFIG],
      useFactory: (store: EventStore, vault: Vault, clock: Clock, config: AppConfig) => new ConsoleSessions(store, vault, clock, config.adminToken, { ttlMs: CONSOLE_SESSION_TTL_MS }),
    },
  ],
  exports: [SignInThrottle, ConsoleSessions],
})
export class ConsoleModule {}
