import type { InMemoryMetricsRegistry } from './metrics-registry';

/** Process gauges read at scrape time (the names Prometheus' own client libraries use, so dashboards fit). */
export function registerProcessMetrics(registry: InMemoryMetricsRegistry, startedAtMs: number = Date.now() - process.uptime() * 1000): void {
  const rss = registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes' });
  const heap = registry.gauge({ name: 'nodejs_heap_used_bytes', help: 'V8 heap in use, in bytes' });
  const start = registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since the Unix epoch, in seconds' });
  const uptime = registry.gauge({ name: 'process_uptime_seconds', help: 'Seconds since the process started' });
  registry.addCollector(() => {
    const memory = process.memoryUsage();
    rss.set(memory.rss);
    heap.set(memory.heapUsed);
    start.set(Math.floor(startedAtMs / 1000));
    uptime.set(Math.round(process.uptime() * 1000) / 1000);
  });
}
