import { Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditEvents, type AuditEvent } from '../../../../application/payroll-posting/projections/audit-query';
import { redactAuditEvents } from '../../../../application/payroll-posting/projections/audit-event';
import { ReadModelRegistry } from '../../../../application/payroll-posting/projections/read-model-registry';
import type { RebuildReport } from '../../../../application/payroll-posting/projections/postings-projection';
import { RebuildInProgressError } from '../../../../application/payroll-posting/projections/read-model-store.port';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { ApiError } from '../api-error';
import { positiveLimit } from '../query-params';

const isoOrUndefined = (name: string, raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  if (Number.isNaN(Date.parse(raw)))
    throw new ApiError(400, 'validation_failed', `${name} must be an ISO 8601 time`, [
      `${name}: must be an ISO 8601 date-time`,
    ]);
  return raw;
};

const MAX_POSITION = 2n ** 63n - 1n;

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api')
export class AuditController {
  constructor(
    @Inject(AuditEvents) private readonly audit: AuditEvents,
    @Inject(ReadModelRegistry) private readonly readModels: ReadModelRegistry,
  ) {}

  @Get('audit/events')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-query')
  @ApiOperation({
    summary: 'The event history of every stream, paged by global position (`after` = the previous `next`)',
  })
  @ApiQuery({ name: 'connectionId', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async events(
    @Query('connectionId') connectionId?: string,
    @Query('type') type?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<{ items: AuditEvent[]; next: string | null }> {
    // A position is a signed 64-bit integer in both stores: anything longer is refused here, not by the database (was a 500).
    if (after !== undefined && (!/^\d{1,19}$/.test(after) || BigInt(after) > MAX_POSITION)) {
      throw new ApiError(400, 'validation_failed', 'after must be a position (a whole number below 2^63)', [
        'after: must be a whole number below 2^63',
      ]);
    }
    const size = positiveLimit(limit);
    const page = await this.audit.page({
      connectionId,
      type,
      from: isoOrUndefined('from', from),
      to: isoOrUndefined('to', to),
      after,
      limit: size,
    });
    // Never a sealed secret's ciphertext (its length leaks the secret's length), whatever the source.
    return { ...page, items: redactAuditEvents(page.items) };
  }

  @Post('projections/rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: "Rebuild every read model from the event log; answers each model's row count and digest" })
  async rebuild(): Promise<{ readModels: RebuildReport[] }> {
    try {
      return { readModels: await this.readModels.rebuildAll() };
    } catch (error) {
      if (error instanceof RebuildInProgressError) throw new ApiError(409, 'rebuild_in_progress', error.message);
      throw error;
    }
  }
}
