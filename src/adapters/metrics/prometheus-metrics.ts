import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import type {
  Counter,
  Gauge,
  Histogram,
  HistogramDefinition,
  Labels,
  MetricDefinition,
  MetricsRegistry,
} from '../../application/metrics/metrics.port';

type Kind = 'counter' | 'gauge' | 'histogram';
type Instrument = PromCounter | PromGauge | PromHistogram;

interface Declared {
  kind: Kind;
  instrument: Instrument;
  /** Only declared labels, in name order (so the text is stable): a stray field cannot explode the series count. */
  keep: (labels: Labels) => Record<string, string>;
}

/**
 * The `MetricsRegistry` port on prom-client, with its own `Registry` (never prom-client's global one), so
 * several apps in one process (tests) keep separate counts. prom-client renders the text exposition.
 */
export class PrometheusMetrics implements MetricsRegistry {
  readonly registry = new Registry();
  private readonly instruments = new Map<string, Declared>();

  /** prom-client's default process and Node.js metrics, plus `process_uptime_seconds`. Once per registry. */
  collectProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry });
    new PromGauge({
      name: 'process_uptime_seconds',
      help: 'Seconds since the process started',
      registers: [this.registry],
      collect() {
        this.set(Math.round(process.uptime() * 1000) / 1000);
      },
    });
    return this;
  }

  counter(definition: MetricDefinition): Counter {
    const { instrument, keep } = this.instrument('counter', definition, (options) => new PromCounter(options));
    const counter = instrument as PromCounter;
    return { inc: (labels = {}, by = 1) => counter.inc(keep(labels), by) };
  }

  gauge(definition: MetricDefinition): Gauge {
    const { instrument, keep } = this.instrument('gauge', definition, (options) => new PromGauge(options));
    const gauge = instrument as PromGauge;
    return {
      set: (value, labels = {}) => gauge.set(keep(labels), value),
      inc: (labels = {}, by = 1) => gauge.inc(keep(labels), by),
      dec: (labels = {}, by = 1) => gauge.dec(keep(labels), by),
    };
  }

  histogram(definition: HistogramDefinition): Histogram {
    const buckets = definition.buckets ? [...definition.buckets] : undefined;
    const { instrument, keep } = this.instrument(
      'histogram',
      definition,
      (options) => new PromHistogram({ ...options, ...(buckets ? { buckets } : {}) }),
    );
    const histogram = instrument as PromHistogram;
    return { observe: (value, labels = {}) => histogram.observe(keep(labels), value) };
  }

  /** The whole registry as Prometheus text (format 0.0.4). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private instrument(
    kind: Kind,
    definition: MetricDefinition,
    create: (options: { name: string; help: string; labelNames: string[]; registers: Registry[] }) => Instrument,
  ): Declared {
    const existing = this.instruments.get(definition.name);
    if (existing) {
      // Re-declaring is how independent callers share a metric; a clash of kinds is a programming error.
      if (existing.kind !== kind) throw new Error(`metric ${definition.name} is already a ${existing.kind}`);
      return existing;
    }
    const labelNames = [...(definition.labelNames ?? [])].sort();
    const keep = (labels: Labels): Record<string, string> => {
      const kept: Record<string, string> = {};
      for (const name of labelNames) kept[name] = String(labels[name] ?? '');
      return kept;
    };
    const declared: Declared = {
      kind,
      instrument: create({ name: definition.name, help: definition.help, labelNames, registers: [this.registry] }),
      keep,
    };
    this.instruments.set(definition.name, declared);
    return declared;
  }
}
