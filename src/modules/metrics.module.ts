import { Global, Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { METRICS, WEBHOOK_LATENCY } from '../application/metrics/metrics.port';
import { InMemoryMetricsRegistry } from '../application/metrics/metrics-registry';
import { registerProcessMetrics } from '../application/metrics/process-metrics';
import { InboxWebhookLatency } from '../application/metrics/webhook-latency';
import { MetricsController } from '../adapters/inbound/http/metrics/metrics.controller';

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
      useFactory: (): InMemoryMetricsRegistry => {
        const registry = new InMemoryMetricsRegistry();
        registerProcessMetrics(registry);
        return registry;
      },
    },
    { provide: WEBHOOK_LATENCY, useFactory: (store: EventStore, metrics: InMemoryMetricsRegistry) => new InboxWebhookLatency(store, metrics), inject: [EVENT_STORE, METRICS] },
  ],
  exports: [METRICS, WEBHOOK_LATENCY],
})
export class MetricsModule {}
