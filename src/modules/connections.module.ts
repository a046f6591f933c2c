import { Global, Inject, Module, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { EVENT_STORE, EventStoreUnavailableError, type EventStore } from '../application/ports/event-store.port';
import { CONNECTIONS } from '../application/ports/connections.port';
import { GUSTO } from '../application/ports/gusto.port';
import { ACUMATICA } from '../application/ports/acumatica.port';
import { ACUMATICA_BATCHES } from '../application/tie-out/ports';
import { VAULT, type Vault } from '../application/ports/vault.port';
import { ACUMATICA_PROBE, ACUMATICA_SETTINGS, GUSTO_OAUTH, GUSTO_TOKENS } from '../application/connections/ports';
import { ConnectionRepository } from '../application/connections/connection-repository';
import { ConnectionsReadModel } from '../application/connections/connections-read-model';
import { ConnectionService } from '../application/connections/connection.service';
import { GustoAuthorizationService } from '../application/connections/gusto-authorization.service';
import { GustoTokenService } from '../application/connections/gusto-token.service';
import { PingService } from '../application/connections/ping.service';
import { GlCatalog } from '../application/connections/gl-catalog';
import { AcumaticaSettingsReader } from '../application/connections/acumatica-settings.reader';
import { verifyVaultKey } from '../application/connections/vault-check';
import { AesGcmVault } from '../adapters/outbound/vault/aes-gcm-vault';
import { createGustoAxios, type GustoHttpOptions } from '../adapters/outbound/gusto/gusto-http';
import { GustoOAuthClient } from '../adapters/outbound/gusto/gusto-oauth.client';
import { GustoApiClient } from '../adapters/outbound/gusto/gusto-api.client';
import { AcumaticaApiClient } from '../adapters/outbound/acumatica/acumatica-api.client';
import { createAcumaticaClient } from './acumatica-client.factory';
import { LicenceCoordinator } from '../application/licence/licence-coordinator';
import { LICENCE_SHARES } from '../application/ports/licence.port';
import { licenceTiming } from '../domain/licence/licence-share';
import { DEFAULT_MAX_CONCURRENT } from '../domain/licence/licence-limits';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { DnsOutboundUrlPolicy } from '../adapters/outbound/network/outbound-url-policy';
import { countOutboundCalls } from '../adapters/outbound/outbound-metrics';
import { METRICS, type MetricsRegistry } from '../application/metrics/metrics.port';
import { ConnectionsController } from '../adapters/inbound/http/connections/connections.controller';
import { GustoAuthorizationController } from '../adapters/inbound/http/connections/gusto-authorization.controller';
import { GustoOAuthCallbackController } from '../adapters/inbound/http/connections/gusto-oauth-callback.controller';

const GUSTO_HTTP = Symbol('GUSTO_HTTP');

/** This process among the service's instances (licence shares, Gusto refresh leases). */
const instanceName = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
const GUSTO_HTTP_OPTIONS = Symbol('GUSTO_HTTP_OPTIONS');

/** Per-tenant cap on concurrent Acumatica requests without licence settings (reference §6: stay at or below the licensed cores). */
export const ACUMATICA_CONCURRENCY_PER_TENANT = DEFAULT_MAX_CONCURRENT;

const gustoHttpOptions = (config: AppConfig): GustoHttpOptions => ({
  baseUrl: config.gusto.apiBaseUrl,
  apiVersion: config.gusto.apiVersion,
  maxAttempts: 5,
  backoffBaseMs: Math.min(config.retry.baseMs, 1000),
  maxRetryAfterMs: 30_000,
  pageSize: config.gusto.pageSize,
});

/**
 * The connections capability: connections and their Gusto/Acumatica credentials, the two API clients
 * and the admin/OAuth endpoints. Global, because the posting pipeline, the employee mirror and the
 * webhook ingress all inject CONNECTIONS, GUSTO and ACUMATICA.
 */
@Global()
@Module({
  controllers: [ConnectionsController, GustoAuthorizationController, GustoOAuthCallbackController],
  providers: [
    {
      provide: VAULT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new AesGcmVault({ id: config.encryptionKeyId, key: config.encryptionKey }, config.previousEncryptionKeys),
    },
    {
      provide: ConnectionRepository,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new ConnectionRepository(store),
    },
    {
      provide: ConnectionsReadModel,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new ConnectionsReadModel(store),
    },
    { provide: CONNECTIONS, useExisting: ConnectionsReadModel },
    { provide: GUSTO_HTTP_OPTIONS, inject: [APP_CONFIG], useFactory: gustoHttpOptions },
    {
      provide: GUSTO_HTTP,
      inject: [GUSTO_HTTP_OPTIONS, METRICS],
      useFactory: (options: GustoHttpOptions, metrics: MetricsRegistry) =>
        countOutboundCalls(createGustoAxios(options), metrics, 'gusto'),
    },
    {
      provide: GUSTO_OAUTH,
      inject: [GUSTO_HTTP, APP_CONFIG, GUSTO_HTTP_OPTIONS],
      useFactory: (http: AxiosInstance, config: AppConfig, options: GustoHttpOptions) =>
        new GustoOAuthClient(http, config.gusto, options),
    },
    {
      provide: ACUMATICA_SETTINGS,
      inject: [ConnectionsReadModel, VAULT, LOGGER],
      useFactory: (readModel: ConnectionsReadModel, vault: Vault, logger: JsonLogger) =>
        new AcumaticaSettingsReader(readModel, vault, (s) => logger.registerSecret(s)),
    },
    {
      provide: LICENCE_SHARES,
      inject: [EVENT_STORE, APP_CONFIG, LOGGER],
      useFactory: (store: EventStore, config: AppConfig, logger: JsonLogger) =>
        new LicenceCoordinator(store, licenceTiming(config.acumaticaLicenceWindowMs), {
          instanceId: instanceName(),
          warn: (message, fields) => logger.write('warn', message, fields, 'AcumaticaLicence'),
        }),
    },
    // One policy: the URL check when a connection is created and the connect-time lookup share the allowed hosts.
    {
      provide: DnsOutboundUrlPolicy,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new DnsOutboundUrlPolicy({ httpsOnly: config.production, allowedHosts: config.acumaticaAllowedHosts }),
    },
    {
      provide: AcumaticaApiClient,
      inject: [ACUMATICA_SETTINGS, APP_CONFIG, LICENCE_SHARES, METRICS, DnsOutboundUrlPolicy],
      useFactory: createAcumaticaClient,
    },
    { provide: ACUMATICA, useExisting: AcumaticaApiClient },
    { provide: ACUMATICA_PROBE, useExisting: AcumaticaApiClient },
    { provide: ACUMATICA_BATCHES, useExisting: AcumaticaApiClient },
    { provide: GlCatalog, inject: [ACUMATICA], useFactory: (api: AcumaticaApiClient) => new GlCatalog(api) },
    {
      provide: ConnectionService,
      inject: [ConnectionRepository, ConnectionsReadModel, VAULT, GlCatalog, CLOCK, DnsOutboundUrlPolicy],
      useFactory: (
        repo: ConnectionRepository,
        readModel: ConnectionsReadModel,
        vault: Vault,
        catalog: GlCatalog,
        clock: Clock,
        policy: DnsOutboundUrlPolicy,
      ) => new ConnectionService(repo, readModel, vault, catalog, clock, randomUUID, policy),
    },
    {
      provide: GustoTokenService,
      inject: [EVENT_STORE, VAULT, GUSTO_OAUTH, CLOCK, ConnectionService, LOGGER],
      useFactory: (
        store: EventStore,
        vault: Vault,
        oauth: GustoOAuthClient,
        clock: Clock,
        connections: ConnectionService,
        logger: JsonLogger,
      ) =>
        new GustoTokenService(
          store,
          vault,
          oauth,
          clock,
          (connectionId, company, detail) => connections.markAuthorizationLost(connectionId, company, detail),
          {
            holder: instanceName(),
            onSecret: (s) => logger.registerSecret(s),
          },
        ),
    },
    { provide: GUSTO_TOKENS, useExisting: GustoTokenService },
    {
      provide: GUSTO,
      inject: [GUSTO_HTTP, CONNECTIONS, GUSTO_TOKENS, GUSTO_HTTP_OPTIONS],
      useFactory: (
        http: AxiosInstance,
        connections: ConnectionsReadModel,
        tokens: GustoTokenService,
        options: GustoHttpOptions,
      ) => new GustoApiClient(http, connections, tokens, options),
    },
    {
      provide: GustoAuthorizationService,
      inject: [ConnectionRepository, EVENT_STORE, VAULT, GUSTO_OAUTH, GustoTokenService, CLOCK],
      useFactory: (
        repo: ConnectionRepository,
        store: EventStore,
        vault: Vault,
        oauth: GustoOAuthClient,
        tokens: GustoTokenService,
        clock: Clock,
      ) => new GustoAuthorizationService(repo, store, vault, oauth, tokens, clock),
    },
    {
      provide: PingService,
      inject: [ConnectionsReadModel, GUSTO_TOKENS, GUSTO_OAUTH, ACUMATICA_PROBE],
      useFactory: (
        readModel: ConnectionsReadModel,
        tokens: GustoTokenService,
        oauth: GustoOAuthClient,
        probe: AcumaticaApiClient,
      ) => new PingService(readModel, tokens, oauth, probe),
    },
  ],
  exports: [
    CONNECTIONS,
    GUSTO,
    ACUMATICA,
    ACUMATICA_BATCHES,
    VAULT,
    GUSTO_TOKENS,
    ConnectionsReadModel,
    GlCatalog,
    DnsOutboundUrlPolicy,
  ],
})
export class ConnectionsModule implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: AesGcmVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(LICENCE_SHARES) private readonly licence: LicenceCoordinator,
  ) {}

  /** No licence heartbeat after the store starts closing. */
  beforeApplicationShutdown(): void {
    this.licence.close();
  }

  /** A wrong MLC_ENCRYPTION_KEY stops the start with a clear message (docs/credentials.md). */
  async onModuleInit(): Promise<void> {
    try {
      const outcome = await verifyVaultKey(this.store, this.vault, this.vault.currentKeyId, this.clock.now());
      if (outcome === 'previous_key') {
        this.logger.write(
          'warn',
          'stored credentials are sealed with a previous encryption key: keep it in MLC_ENCRYPTION_KEYS_PREVIOUS',
          { keyId: this.vault.currentKeyId },
          'Connections',
        );
      } else this.logger.write('info', `encryption key ${outcome}`, { keyId: this.vault.currentKeyId }, 'Connections');
    } catch (error) {
      // An unreachable KurrentDB must not stop the start (/health reports it); a wrong key must.
      if (error instanceof EventStoreUnavailableError) {
        this.logger.write(
          'warn',
          'encryption key not verified: event store unreachable',
          { error: error.message },
          'Connections',
        );
        return;
      }
      throw error;
    }
  }
}
