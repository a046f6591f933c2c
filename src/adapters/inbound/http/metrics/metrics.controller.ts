import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { METRICS } from '../../../../application/metrics/metrics.port';
import type { PrometheusMetrics } from '../../../metrics/prometheus-metrics';

/** GET /metrics: public, Prometheus text exposition format 0.0.4. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly registry: PrometheusMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics: postings by status, webhook outcomes, outbound calls, webhook-to-posted latency, process' })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  scrape(): Promise<string> {
    return this.registry.render();
  }
}
