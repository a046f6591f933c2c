import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { CONNECTIONS, type Connections } from '../application/ports/connections.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { VAULT, type Vault } from '../application/ports/vault.port';
import { METRICS, type MetricsRegistry } from '../application/metrics/metrics.port';
import { CheckpointStore } from '../application/inbox/checkpoint-store';
import { DISPATCHER_CHECKPOINT_STREAM } from '../application/inbox/inbox-events';
import { InboxDispatcher, type CommandDispatch } from '../application/inbox/inbox-dispatcher';
import { WebhookIntake } from '../application/inbox/webhook-intake';
import { WebhookKeyring } from '../application/inbox/webhook-keyring';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { GustoWebhookController } from '../adapters/inbound/webhooks/gusto-webhook.controller';
import { HandshakeWindowController } from '../adapters/inbound/webhooks/handshake-window.controller';
import { InboxLifecycle } from '../adapters/inbound/webhooks/inbox-lifecycle';
import { GustoSubscriptionVerifier } from '../adapters/inbound/webhooks/gusto-subscription-verifier';
import { manualVerification, type WebhookSubscriptionVerifier } from '../application/inbox/subscription-verifier';

/** With the app's client credentials the connector finishes Gusto's handshake itself; without, the operator does. */
function subscriptionVerifier(config: AppConfig): WebhookSubscriptionVerifier {
  const { clientId, clientSecret, apiBaseUrl, apiVersion } = config.gusto;
  if (!clientId || !clientSecret) return manualVerification;
  return new GustoSubscriptionVerifier({
    apiBaseUrl,
    apiVersion,
    clientId,
    clientSecret,
    webhookPath: '/webhooks/gusto',
  });
}

/**
 * Webhook ingress: POST /webhooks/gusto → the inbox (gusto-webhook-<uuid>) → the dispatcher → commands.
 * Needs CONNECTIONS and VAULT (the global ConnectionsModule) and the CommandBus (CqrsModule.forRoot in AppModule);
 * METRICS comes from the global MetricsModule.
 */
@Module({
  controllers: [GustoWebhookController, HandshakeWindowController],
  providers: [
    {
      provide: WebhookKeyring,
      inject: [EVENT_STORE, VAULT, CLOCK, LOGGER, APP_CONFIG],
      useFactory: (store: EventStore, vault: Vault, clock: Clock, logger: JsonLogger, config: AppConfig) =>
        new WebhookKeyring(
          store,
          vault, // the adopted token is sealed like every other credential (MLC_ENCRYPTION_KEY)
          clock,
          logger.child('webhooks'),
          config.gusto.webhookVerificationToken,
          (secret) => logger.registerSecret(secret),
          subscriptionVerifier(config),
        ),
    },
    {
      provide: WebhookIntake,
      inject: [EVENT_STORE, WebhookKeyring, METRICS, CLOCK, LOGGER, APP_CONFIG],
      useFactory: (
        store: EventStore,
        keyring: WebhookKeyring,
        metrics: MetricsRegistry,
        clock: Clock,
        logger: JsonLogger,
        _config: AppConfig,
      ) => new WebhookIntake(store, keyring, metrics, clock, logger.child('webhooks')),
    },
    {
      provide: InboxDispatcher,
      inject: [EVENT_STORE, CONNECTIONS, CommandBus, METRICS, CLOCK, LOGGER],
      useFactory: (
        store: EventStore,
        connections: Connections,
        bus: CommandBus,
        metrics: MetricsRegistry,
        clock: Clock,
        logger: JsonLogger,
      ) =>
        new InboxDispatcher(
          store,
          connections,
          bus as unknown as CommandDispatch,
          new CheckpointStore(store, DISPATCHER_CHECKPOINT_STREAM, clock),
          metrics,
          clock,
          logger.child('inbox'),
        ),
    },
    InboxLifecycle,
  ],
  exports: [WebhookIntake, InboxDispatcher],
})
export class WebhooksModule {}
