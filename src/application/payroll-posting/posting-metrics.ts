import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { reversalStatusOf, statusOf, type PayrollPosting } from '../../domain/payroll-posting/state';
import type { EventMetadata } from '../ports/event-store.port';
import {
  CONNECTOR_METRICS,
  METRICS,
  WEBHOOK_LATENCY,
  type MetricsRegistry,
  type WebhookLatencyRecorder,
} from '../metrics/metrics.port';
import type { PostingObserver } from './posting-saga';
import type { LoadedPosting } from './posting-stream';

/**
 * Feeds /metrics from the pipeline's own appends: `mlc_postings_total{status}` on every status change
 * (and `reversed`), and the webhook-to-posted latency the first time a webhook-caused posting is posted.
 * Both collaborators are optional so the pipeline runs (and is tested) without the metrics module.
 */
@Injectable()
export class PostingMetrics implements PostingObserver {
  constructor(
    @Optional() @Inject(METRICS) private readonly metrics?: MetricsRegistry,
    @Optional() @Inject(WEBHOOK_LATENCY) private readonly latency?: WebhookLatencyRecorder,
  ) {}

  appended(
    _stream: string,
    events: PayrollPostingEvent[],
    before: PayrollPosting,
    after: LoadedPosting,
    metadata: EventMetadata,
  ): void {
    if (!this.metrics) return;
    const postings = this.metrics.counter(CONNECTOR_METRICS.postings);
    const was = before.phase === 'none' ? undefined : statusOf(before);
    const now = statusOf(after.state);
    if (now !== was) postings.inc({ status: now });
    const reversedNow = after.state.reversal && reversalStatusOf(after.state.reversal) === 'reversed';
    const reversedBefore = before.reversal && reversalStatusOf(before.reversal) === 'reversed';
    if (reversedNow && !reversedBefore) postings.inc({ status: 'reversed' });

    if (!events.some((e) => e.type === 'PayrollPosted')) return;
    const postedBefore = after.events.filter((e) => e.type === 'PayrollPosted').length > 1;
    const request = after.events.find((e) => e.type === 'PostingRequested');
    const data = request?.data as { trigger?: string; sourceEventId?: string } | undefined;
    if (postedBefore || data?.trigger !== 'webhook') return;
    const postedAt = new Date(typeof metadata.at === 'string' ? metadata.at : Date.now());
    if (this.latency && data.sourceEventId) {
      // The inbox knows when the webhook arrived, which is earlier (and truer) than our request event.
      void this.latency.postedFrom(data.sourceEventId, postedAt).catch(() => undefined);
      return;
    }
    const requestedAt = typeof request?.metadata.at === 'string' ? Date.parse(request.metadata.at) : NaN;
    if (Number.isFinite(requestedAt)) {
      this.metrics
        .histogram(CONNECTOR_METRICS.webhookToPosted)
        .observe(Math.max(0, postedAt.getTime() - requestedAt) / 1000);
    }
  }
}
