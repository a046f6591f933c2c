import { Global, Module } from '@nestjs/common';
import axios from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { VAULT, type Vault } from '../application/ports/vault.port';
import { METRICS, type MetricsRegistry } from '../application/metrics/metrics.port';
import { ConsoleSessions } from '../application/console/console-sessions';
import { CONNECTIONS, type Connections } from '../application/ports/connections.port';
import { GUSTO } from '../application/ports/gusto.port';
import { GlCatalog } from '../application/connections/gl-catalog';
import { ChartOfAccounts } from '../application/console/chart-of-accounts';
import { RecentPayrolls } from '../application/console/recent-payrolls';
import { EndpointVersions } from '../application/console/endpoint-versions';
import {
  ACUMATICA_ENDPOINT_DIRECTORY,
  GUSTO_PAYROLL_DIRECTORY,
  type AcumaticaEndpointDirectory,
  type GustoPayrollDirectory,
  type PostingLookup,
} from '../application/console/ports';
import { PostingsProjection } from '../application/payroll-posting/projections/postings-projection';
import { postingId } from '../domain/payroll-posting/events';
import { DnsOutboundUrlPolicy } from '../adapters/outbound/network/outbound-url-policy';
import { HttpEndpointDirectory } from '../adapters/outbound/acumatica/endpoint-directory';
import { countOutboundCalls } from '../adapters/outbound/outbound-metrics';
import { ConnectionReadsController } from '../adapters/inbound/http/console/connection-reads.controller';
import { AcumaticaEndpointsController } from '../adapters/inbound/http/console/acumatica-endpoints.controller';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { SignInThrottle } from '../adapters/inbound/http/auth/sign-in-throttle';
import { SessionController } from '../adapters/inbound/http/console/session.controller';
import { ConsoleStaticController } from '../adapters/inbound/http/console/console-static.controller';

/** A console session lasts a working day; then the browser signs in again. */
export const CONSOLE_SESSION_TTL_MS = 8 * 60 * 60_000;

/** `GET /entity` of an instance nobody has connected yet: a quick answer or none (no licence queue to wait in). */
const ENDPOINT_LIST_TIMEOUT_MS = 15_000;

/** The guarded client for an outside URL: no redirect, a small answer cap, every socket's address checked at connect. */
function endpointDirectory(policy: DnsOutboundUrlPolicy, metrics: MetricsRegistry): AcumaticaEndpointDirectory {
  const { guardedLookup } = policy;
  const http = axios.create({
    timeout: ENDPOINT_LIST_TIMEOUT_MS,
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: 1024 * 1024,
    httpAgent: new HttpAgent({ lookup: guardedLookup }),
    httpsAgent: new HttpsAgent({ lookup: guardedLookup }),
  });
  countOutboundCalls(http, metrics, 'acumatica');
  return new HttpEndpointDirectory(http);
}

/** The posting of a payroll from the postings read model (once it has caught up with the log). */
const postingLookup =
  (postings: PostingsProjection): PostingLookup =>
  async (connectionId, payrollUuid) => {
    await postings.whenLive();
    const view = postings.get(postingId(connectionId, payrollUuid));
    return view ? { id: view.id, status: view.status } : null;
  };

/**
 * The web console's server side (issue 16): sign-in sessions (cookie + CSRF), the endpoints the browser
 * needs beside the v1 API, and the built app at /console. Global, because the /api guard of every
 * capability authenticates session cookies and counts wrong keys with the one throttle.
 */
@Global()
@Module({
  controllers: [SessionController, ConnectionReadsController, AcumaticaEndpointsController, ConsoleStaticController],
  providers: [
    {
      provide: SignInThrottle,
      inject: [LOGGER, METRICS],
      useFactory: (logger: JsonLogger, metrics: MetricsRegistry) => new SignInThrottle(logger, metrics),
    },
    {
      provide: ConsoleSessions,
      inject: [EVENT_STORE, VAULT, CLOCK, APP_CONFIG],
      useFactory: (store: EventStore, vault: Vault, clock: Clock, config: AppConfig) =>
        new ConsoleSessions(store, vault, clock, config.adminToken, { ttlMs: CONSOLE_SESSION_TTL_MS }),
    },
    { provide: GUSTO_PAYROLL_DIRECTORY, useExisting: GUSTO },
    { provide: ACUMATICA_ENDPOINT_DIRECTORY, inject: [DnsOutboundUrlPolicy, METRICS], useFactory: endpointDirectory },
    {
      provide: ChartOfAccounts,
      inject: [CONNECTIONS, GlCatalog],
      useFactory: (connections: Connections, catalog: GlCatalog) => new ChartOfAccounts(connections, catalog),
    },
    {
      provide: RecentPayrolls,
      inject: [CONNECTIONS, GUSTO_PAYROLL_DIRECTORY, PostingsProjection, CLOCK],
      useFactory: (
        connections: Connections,
        gusto: GustoPayrollDirectory,
        postings: PostingsProjection,
        clock: Clock,
      ) => new RecentPayrolls(connections, gusto, postingLookup(postings), clock),
    },
    {
      provide: EndpointVersions,
      inject: [DnsOutboundUrlPolicy, ACUMATICA_ENDPOINT_DIRECTORY],
      useFactory: (policy: DnsOutboundUrlPolicy, directory: AcumaticaEndpointDirectory) =>
        new EndpointVersions(policy, directory),
    },
  ],
  exports: [SignInThrottle, ConsoleSessions],
})
export class ConsoleModule {}
