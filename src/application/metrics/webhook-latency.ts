import type { EventStore } from '../ports/event-store.port';
import { inboxStream, type GustoWebhookReceived } from '../inbox/inbox-events';
import { CONNECTOR_METRICS, type MetricsRegistry, type WebhookLatencyRecorder } from './metrics.port';

/**
 * Webhook-to-posted latency from the inbox record: the posting only knows the Gusto event uuid
 * (sourceEventId), and the inbox knows when that event arrived. Observed at most once per event in
 * this process, so a replay or a second "posted" does not skew the histogram.
 */
export class InboxWebhookLatency implements WebhookLatencyRecorder {
  private readonly observed = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly metrics: MetricsRegistry,
  ) {}

  async postedFrom(sourceEventId: string, postedAt: Date): Promise<void> {
    if (this.observed.has(sourceEventId)) return;
    const [received] = await this.store.readStream(inboxStream(sourceEventId));
    if (!received || received.type !== 'GustoWebhookReceived') return;
    const receivedAt = Date.parse((received.data as GustoWebhookReceived).receivedAt);
    if (!Number.isFinite(receivedAt)) return;
    this.observed.add(sourceEventId);
    this.metrics
      .histogram(CONNECTOR_METRICS.webhookToPosted)
      .observe(Math.max(0, (postedAt.getTime() - receivedAt) / 1000));
  }
}
