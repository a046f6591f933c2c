import { Controller, Get, Header, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TieOutQuery } from '../../../../application/tie-out/tie-out.query';
import { tieOutCsv, type TieOutReport } from '../../../../application/tie-out/tie-out-report';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { ApiError } from '../api-error';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: unknown): s is string =>
  typeof s === 'string' &&
  DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

@ApiTags('postings')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class TieOutController {
  constructor(@Inject(TieOutQuery) private readonly query: TieOutQuery) {}

  @Get(':id/tie-out')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-param')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "Month-end tie-out, by check date: per payroll Gusto's totals and withdrawals, the journal and its cash lines, the Acumatica batch read back now, every difference named; then the period's sums. JSON, or CSV with ?format=csv",
  })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-01-31' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async tieOut(
    @Param('id') connectionId: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('format') format: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TieOutReport | string> {
    const details: string[] = [];
    if (!isDate(from)) details.push('from: must be a date YYYY-MM-DD');
    if (!isDate(to)) details.push('to: must be a date YYYY-MM-DD');
    if (format !== undefined && format !== 'json' && format !== 'csv') details.push('format: must be json or csv');
    if (details.length === 0 && (from as string) > (to as string)) details.push('to: must not be before from');
    if (details.length > 0) throw new ApiError(400, 'invalid_request', details.join('; '), details);
    const result = await this.query.report(connectionId, from as string, to as string);
    if (!result.ok) throw new ApiError(404, 'connection_not_found', `no connection ${connectionId}`);
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="tie-out-${from as string}-${to as string}.csv"`);
      return tieOutCsv(result.report);
    }
    return result.report;
  }
}
