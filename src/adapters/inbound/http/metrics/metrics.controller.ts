import { Controller, Get, Header, Inject, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { METRICS } from '../../../../application/metrics/metrics.port';
import type { PrometheusMetrics } from '../../../metrics/prometheus-metrics';
import { CONNECTIONS, type Connections } from '../../../../application/ports/connections.port';
import { PostingsProjection } from '../../../../application/payroll-posting/projections/postings-projection';
import { scopeIncludes } from '../../../../domain/api-key/roles';
import { ConnectionScoped, principalOf, RequiresRole } from '../auth/access.decorators';
import { MetricsAccessGuard } from './metrics-access.guard';
import { connectionSeries, filterExposition } from './tenant-filter';

/**
 * GET /metrics: Prometheus text exposition format 0.0.4. Public when MLC_METRICS_PUBLIC allows (v1, the
 * default outside production); otherwise — or when a bearer token is sent — any key may read it, and a key
 * limited to some connections reads only the series labelled with its connections (per-tenant metrics).
 */
@ApiTags('operations')
@ApiBearerAuth()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly registry: PrometheusMetrics,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(PostingsProjection) private readonly postings: PostingsProjection,
  ) {}

  @Get()
  @RequiresRole('auditor')
  @ConnectionScoped('filtered-list')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Prometheus metrics: postings by status, webhook outcomes, outbound calls, webhook-to-posted latency, process, per connection',
  })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Req() req: Request): Promise<string> {
    const unsettled = this.postings
      .unsettled()
      .map((p) => ({ connectionId: p.view.connectionId, status: p.view.status }));
    const text = (await this.registry.render()) + connectionSeries(await this.connections.list(), unsettled);
    const scope = principalOf(req).connections;
    return scope === '*' ? text : filterExposition(text, (id) => scopeIncludes(scope, id));
  }
}
