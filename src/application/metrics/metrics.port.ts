/**
 * The metrics port that any capability injects by `METRICS` to count what it does. The adapter
 * (`src/adapters/metrics/prometheus-metrics.ts`, prom-client) renders it as Prometheus text at GET /metrics.
 */
export const METRICS = Symbol('METRICS');

/** Label values by label name; every name declared by the metric should be given. */
export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
}

export interface Histogram {
  /** Observes one value (seconds for durations, by Prometheus convention). */
  observe(value: number, labels?: Labels): void;
}

export interface MetricDefinition {
  /** Prometheus name: `[a-zA-Z_:][a-zA-Z0-9_:]*`; counters end in `_total`. */
  name: string;
  help: string;
  labelNames?: readonly string[];
}

export interface HistogramDefinition extends MetricDefinition {
  /** Upper bounds, ascending; `+Inf` is added by the adapter. */
  buckets?: readonly number[];
}

export interface MetricsRegistry {
  /** Same definition name twice → the same instrument, so every caller may declare what it uses. */
  counter(definition: MetricDefinition): Counter;
  gauge(definition: MetricDefinition): Gauge;
  histogram(definition: HistogramDefinition): Histogram;
}

/** Seconds from a webhook's arrival to its journal being in Acumatica: minutes at worst, usually seconds. */
export const LATENCY_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600] as const;

/**
 * The connector's own metrics, declared once so producers and dashboards agree on names and labels.
 * Use as `metrics.counter(CONNECTOR_METRICS.postings).inc({ status: 'posted' })`.
 */
export const CONNECTOR_METRICS = {
  /** status: pending | posted | failed | needs_attention | reversed (a transition into that status). */
  postings: { name: 'mlc_postings_total', help: 'Payroll postings that reached a status', labelNames: ['status'] },
  /** outcome: accepted | duplicate | bad_signature | malformed | too_large | verification. */
  webhooks: { name: 'mlc_webhooks_total', help: 'Gusto webhook deliveries by outcome', labelNames: ['outcome'] },
  /** What the dispatcher did with an inbox event. action: dispatched | ignored | unknown_company | failed. */
  inboxDispatch: {
    name: 'mlc_inbox_events_total',
    help: 'Inbox events handled by the dispatcher',
    labelNames: ['event_type', 'action'],
  },
  /** api: gusto | acumatica; status: the HTTP status, or error kind (timeout, unavailable) when none arrived. */
  outboundCalls: {
    name: 'mlc_outbound_calls_total',
    help: 'Calls to Gusto and Acumatica by API and status',
    labelNames: ['api', 'status'],
  },
  /** Observed once, when a webhook-triggered posting is first posted. */
  webhookToPosted: {
    name: 'mlc_webhook_to_posted_seconds',
    help: 'Seconds from a payroll.processed webhook being received to its journal being posted',
    buckets: LATENCY_BUCKETS_SECONDS,
  },
  /** trigger: cron | manual; result: ok | failed | skipped (not connected) | busy (already running). */
  polls: { name: 'mlc_polls_total', help: 'Backfill polls by trigger and result', labelNames: ['trigger', 'result'] },
  pollRequested: {
    name: 'mlc_poll_postings_requested_total',
    help: 'Payrolls found by the backfill poll that had no posting yet',
  },
} as const satisfies Record<string, MetricDefinition | HistogramDefinition>;

/**
 * Records the webhook-to-posted latency for a posting caused by a webhook (`sourceEventId` = the Gusto
 * event uuid of RequestPostingCommand). Injected by `WEBHOOK_LATENCY`; a posting not caused by a
 * webhook, or whose inbox record is gone, is simply not observed.
 */
export const WEBHOOK_LATENCY = Symbol('WEBHOOK_LATENCY');

export interface WebhookLatencyRecorder {
  postedFrom(sourceEventId: string, postedAt: Date): Promise<void>;
}
