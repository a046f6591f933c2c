import { Global, Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { CONNECTOR_METRICS, METRICS, WEBHOOK_LATENCY } from '../application/metrics/metrics.port';
import { InboxWebhookLatency } from '../application/metrics/webhook-latency';
import { MetricsController } from '../adapters/inbound/http/metrics/metrics.controller';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics';

/**
 * Global so every capability can `@Inject(METRICS) metrics: MetricsRegistry` (and `WEBHOOK_LATENCY`)
 * without importing this module. One registry per app instance, so tests running two apps do not mix.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS,
      useFactory: (): PrometheusMetrics => {
        const registry = new PrometheusMetrics().collectProcessMetrics();
        // Declared up front so a scrape shows every family (and each webhook outcome at 0) before the first event:
        // rate() and alerts then work from the first sample instead of appearing later.
        for (const definition of Object.values(CONNECTOR_METRICS)) {
          if ('buckets' in definition) registry.histogram(definition);
          else registry.counter(definition);
        }
        const webhooks = registry.counter(CONNECTOR_METRICS.webhooks);
        for (const outcome of ['accepted', 'duplicate', 'bad_signature', 'malformed', 'too_large', 'verification'])
          webhooks.inc({ outcome }, 0);
        return registry;
      },
    },
    {
      provide: WEBHOOK_LATENCY,
      useFactory: (store: EventStore, metrics: PrometheusMetrics) => new InboxWebhookLatency(store, metrics),
      inject: [EVENT_STORE, METRICS],
    },
  ],
  exports: [METRICS, WEBHOOK_LATENCY],
})
export class MetricsModule {}
