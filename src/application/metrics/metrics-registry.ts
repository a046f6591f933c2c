import type { Counter, Gauge, Histogram, HistogramDefinition, Labels, MetricDefinition, MetricsRegistry } from './metrics.port';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Kind = 'counter' | 'gauge' | 'histogram';

interface Series {
  labels: Labels;
  value: number;
  /** Histogram only: cumulative count per bucket (same order as the buckets), sum and count. */
  buckets?: number[];
  sum?: number;
  count?: number;
}

interface Family {
  kind: Kind;
  definition: MetricDefinition;
  buckets: number[];
  series: Map<string, Series>;
}

/** Prometheus text escaping: label values escape backslash, quote and newline; HELP escapes backslash and newline. */
const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const formatNumber = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
};

function renderLabels(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (extra) pairs.push(extra);
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/**
 * In-memory registry with a hand-written Prometheus text exposition (format 0.0.4).
 * Values live in this process only: a restart starts counters at zero, which Prometheus' rate() expects.
 */
export class InMemoryMetricsRegistry implements MetricsRegistry {
  private readonly families = new Map<string, Family>();
  /** Called before each render, e.g. to refresh process gauges that are read, not pushed. */
  private readonly collectors: Array<() => void> = [];

  counter(definition: MetricDefinition): Counter {
    const family = this.family('counter', definition);
    return {
      inc: (labels = {}, by = 1) => {
        if (!(by >= 0)) throw new Error(`counter ${definition.name} can only increase (got ${by})`);
        this.series(family, labels).value += by;
      },
    };
  }

  gauge(definition: MetricDefinition): Gauge {
    const family = this.family('gauge', definition);
    return {
      set: (value, labels = {}) => {
        this.series(family, labels).value = value;
      },
      inc: (labels = {}, by = 1) => {
        this.series(family, labels).value += by;
      },
      dec: (labels = {}, by = 1) => {
        this.series(family, labels).value -= by;
      },
    };
  }

  histogram(definition: HistogramDefinition): Histogram {
    const family = this.family('histogram', definition, definition.buckets);
    return {
      observe: (value, labels = {}) => {
        const series = this.series(family, labels);
        family.buckets.forEach((bound, i) => {
          if (value <= bound) series.buckets![i] += 1;
        });
        series.sum! += value;
        series.count! += 1;
      },
    };
  }

  addCollector(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** The whole registry as Prometheus text, families in name order. */
  render(): string {
    for (const collect of this.collectors) collect();
    const lines: string[] = [];
    const names = [...this.families.keys()].sort();
    for (const name of names) {
      const family = this.families.get(name)!;
      lines.push(`# HELP ${name} ${escapeHelp(family.definition.help)}`);
      lines.push(`# TYPE ${name} ${family.kind}`);
      for (const series of family.series.values()) {
        if (family.kind !== 'histogram') {
          lines.push(`${name}${renderLabels(series.labels)} ${formatNumber(series.value)}`);
          continue;
        }
        family.buckets.forEach((bound, i) => {
          lines.push(`${name}_bucket${renderLabels(series.labels, ['le', formatNumber(bound)])} ${series.buckets![i]}`);
        });
        lines.push(`${name}_bucket${renderLabels(series.labels, ['le', '+Inf'])} ${series.count}`);
        lines.push(`${name}_sum${renderLabels(series.labels)} ${formatNumber(series.sum!)}`);
        lines.push(`${name}_count${renderLabels(series.labels)} ${series.count}`);
      }
    }
    return lines.join('\n') + '\n';
  }

  private family(kind: Kind, definition: MetricDefinition, buckets?: readonly number[]): Family {
    const existing = this.families.get(definition.name);
    if (existing) {
      // Re-declaring is how independent callers share a metric; a clash of kinds is a programming error.
      if (existing.kind !== kind) throw new Error(`metric ${definition.name} is already a ${existing.kind}`);
      return existing;
    }
    if (!NAME.test(definition.name)) throw new Error(`invalid metric name ${definition.name}`);
    for (const label of definition.labelNames ?? []) {
      if (!LABEL.test(label) || label.startsWith('__') || label === 'le') throw new Error(`invalid label name ${label} on ${definition.name}`);
    }
    const sorted = [...(buckets ?? DEFAULT_BUCKETS)].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
    const family: Family = { kind, definition, buckets: sorted, series: new Map() };
    this.families.set(definition.name, family);
    return family;
  }

  private series(family: Family, labels: Labels): Series {
    // Only declared labels are kept, so a stray field cannot explode the number of series.
    const declared = family.definition.labelNames ?? [];
    const kept: Record<string, string> = {};
    for (const name of declared) kept[name] = String(labels[name] ?? '');
    const key = declared.map((name) => kept[name]).join('\u0000');
    let series = family.series.get(key);
    if (!series) {
      series = { labels: kept, value: 0 };
      if (family.kind === 'histogram') {
        series.buckets = family.buckets.map(() => 0);
        series.sum = 0;
        series.count = 0;
      }
      family.series.set(key, series);
    }
    return series;
  }
}
