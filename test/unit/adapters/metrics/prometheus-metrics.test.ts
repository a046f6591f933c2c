import { PrometheusMetrics } from '../../../../src/adapters/metrics/prometheus-metrics';
import { CONNECTOR_METRICS } from '../../../../src/application/metrics/metrics.port';

describe('PrometheusMetrics (the metrics port on prom-client)', () => {
  it('renders counters with sorted, escaped labels and shares an instrument between declarers', async () => {
    const registry = new PrometheusMetrics();
    registry.counter(CONNECTOR_METRICS.outboundCalls).inc({ status: '200', api: 'gusto' });
    registry.counter(CONNECTOR_METRICS.outboundCalls).inc({ api: 'gusto', status: '200' }, 2);
    registry.counter(CONNECTOR_METRICS.outboundCalls).inc({ api: 'acu"matica\n', status: '429' });
    const text = await registry.render();
    expect(text).toContain(
      '# HELP mlc_outbound_calls_total Calls to Gusto and Acumatica by API and status\n# TYPE mlc_outbound_calls_total counter\n',
    );
    expect(text).toContain('mlc_outbound_calls_total{api="gusto",status="200"} 3\n');
    expect(text).toContain('mlc_outbound_calls_total{api="acu\\"matica\\n",status="429"} 1\n');
  });

  it('renders histograms as cumulative buckets with +Inf, sum and count', async () => {
    const registry = new PrometheusMetrics();
    const latency = registry.histogram({ name: 'x_seconds', help: 'x', buckets: [1, 5] });
    latency.observe(0.5);
    latency.observe(3);
    latency.observe(10);
    const text = await registry.render();
    expect(text).toContain(
      'x_seconds_bucket{le="1"} 1\nx_seconds_bucket{le="5"} 2\nx_seconds_bucket{le="+Inf"} 3\nx_seconds_sum 13.5\nx_seconds_count 3\n',
    );
  });

  it('keeps only declared labels, refuses a kind clash and a decreasing counter', async () => {
    const registry = new PrometheusMetrics();
    registry
      .counter(CONNECTOR_METRICS.postings)
      .inc({ status: 'posted', payrollUuid: 'high-cardinality' } as Record<string, string>);
    expect(await registry.render()).toContain('mlc_postings_total{status="posted"} 1');
    expect(() => registry.gauge(CONNECTOR_METRICS.postings)).toThrow(/already a counter/);
    expect(() => registry.counter(CONNECTOR_METRICS.postings).inc({ status: 'posted' }, -1)).toThrow();
  });

  it('keeps two registries apart (two apps in one process)', async () => {
    const a = new PrometheusMetrics().collectProcessMetrics();
    const b = new PrometheusMetrics().collectProcessMetrics();
    a.counter(CONNECTOR_METRICS.polls).inc({ trigger: 'cron', result: 'ok' });
    b.counter(CONNECTOR_METRICS.polls).inc({ trigger: 'cron', result: 'ok' }, 5);
    expect(await a.render()).toContain('mlc_polls_total{result="ok",trigger="cron"} 1\n');
    expect(await b.render()).toContain('mlc_polls_total{result="ok",trigger="cron"} 5\n');
  });

  it('reads process metrics at scrape time (prom-client defaults plus process_uptime_seconds)', async () => {
    const registry = new PrometheusMetrics().collectProcessMetrics();
    const text = await registry.render();
    expect(text).toMatch(/\nprocess_resident_memory_bytes \d+\n/);
    expect(text).toMatch(/\nprocess_start_time_seconds \d+\n/);
    expect(text).toMatch(/\nnodejs_heap_size_used_bytes \d+\n/);
    expect(text).toMatch(/\nprocess_uptime_seconds [\d.]+\n/);
  });
});
