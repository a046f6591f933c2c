import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parsePostingId, postingStream } from '../../../../domain/payroll-posting/events';
import { ACCRUAL_STATUSES } from '../../../../domain/payroll-accrual/state';
import { ReplayPostingCommand } from '../../../../application/payroll-posting/commands';
import type { PostingCommandResult } from '../../../../application/payroll-posting/command-handlers';
import { AuditEvents, type AuditEvent } from '../../../../application/payroll-posting/projections/audit-query';
import { redactAuditEvents } from '../../../../application/payroll-posting/projections/audit-event';
import { PostingsProjection } from '../../../../application/payroll-posting/projections/postings-projection';
import type { PostingView } from '../../../../application/payroll-posting/projections/posting-view';
import { CONNECTIONS, type Connections } from '../../../../application/ports/connections.port';
import { AdminAuthGuard } from '../admin-auth.guard';
import { Actor, ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { ApiError } from '../api-error';
import type { Principal } from '../../../../application/api-keys/principal';
import { postingApiError } from './posting-errors';
import { positiveLimit } from '../query-params';
import { etagOf, etagOnRefusal, IfMatchDocs, revisionFromIfMatch } from '../etag';
import { PostingSaga } from '../../../../application/payroll-posting/posting-saga';

const STATUSES = ['pending', 'posted', 'failed', 'needs_attention', 'cancelled'];

/** A query parameter that must be one of `allowed` (400 validation_failed otherwise). */
const oneOf = (name: string, value: string | undefined, allowed: readonly string[]): void => {
  if (value !== undefined && !allowed.includes(value))
    throw new ApiError(400, 'validation_failed', `${name} must be one of ${allowed.join(', ')}`, [
      `${name}: must be one of ${allowed.join(', ')}`,
    ]);
};

/**
 * Postings. The id is `<connectionId>:<payrollUuid>` (send it URL-encoded; ':' is also accepted raw).
 * Reads come from the postings read model, except the audit trail, which is read from the log itself.
 */
@ApiTags('postings')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/postings')
export class PostingsController {
  constructor(
    @Inject(PostingsProjection) private readonly postings: PostingsProjection,
    @Inject(AuditEvents) private readonly audit: AuditEvents,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(PostingSaga) private readonly saga: PostingSaga,
  ) {}

  @Get()
  @RequiresRole('auditor')
  @ConnectionScoped('connection-query')
  @ApiOperation({ summary: 'Postings, newest first, paged ({ items, next })' })
  @ApiQuery({ name: 'connectionId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'payrollUuid', required: false })
  @ApiQuery({
    name: 'accrual',
    required: false,
    enum: ACCRUAL_STATUSES,
    description: 'only postings with a month-end accrual in this status (e.g. needs_attention, failed, skipped)',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false, description: 'the `next` of the previous page' })
  async list(
    @Query('connectionId') connectionId?: string,
    @Query('status') status?: string,
    @Query('payrollUuid') payrollUuid?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('accrual') accrual?: string,
  ): Promise<{ items: PostingView[]; next: string | null }> {
    oneOf('status', status, STATUSES);
    oneOf('accrual', accrual, ACCRUAL_STATUSES);
    await this.postings.whenLive();
    return this.postings.list({ connectionId, status, payrollUuid, accrual, cursor, limit: positiveLimit(limit) });
  }

  @Get(':id')
  @RequiresRole('auditor')
  @ConnectionScoped('posting-param')
  @ApiOperation({ summary: 'One posting: status, journal, Acumatica batch, attempts, last error, reversal' })
  @ApiResponse({
    status: 200,
    description: "The posting; `ETag` is its stream's revision (send it back as `If-Match` on POST …/replay)",
  })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<PostingView> {
    await this.postings.whenLive();
    const view = this.postings.get(id);
    const parsed = parsePostingId(id);
    if (!view || !parsed) throw postingApiError('posting_not_found');
    res.setHeader('ETag', etagOf(await this.saga.revisionOf(postingStream(parsed.connectionId, parsed.payrollUuid))));
    return view;
  }

  @Get(':id/events')
  @RequiresRole('auditor')
  @ConnectionScoped('posting-param')
  @ApiOperation({ summary: "The posting's audit trail: every event in order, with type, time, data and metadata" })
  async events(@Param('id') id: string): Promise<{ items: AuditEvent[]; next: null }> {
    const parsed = parsePostingId(id);
    if (!parsed) throw postingApiError('posting_not_found');
    const items = await this.audit.ofStream(postingStream(parsed.connectionId, parsed.payrollUuid));
    if (items.length === 0) throw postingApiError('posting_not_found');
    return { items: redactAuditEvents(items), next: null };
  }

  @Post(':id/replay')
  @RequiresRole('operator')
  @ConnectionScoped('posting-param')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-run the posting after a fix (still exactly once: an existing journal is found, not duplicated)',
  })
  @IfMatchDocs('the ETag of GET /api/postings/:id: replayed only if the posting has not changed since (412 otherwise)')
  async replay(
    @Param('id') id: string,
    @Actor() actor: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ id: string; status: string }> {
    const parsed = parsePostingId(id);
    if (!parsed) throw postingApiError('posting_not_found');
    // A deleted (or unknown) connection's postings stay readable but are never run again.
    if (!(await this.connections.get(parsed.connectionId))) throw postingApiError('posting_not_found');
    const ifRevision = revisionFromIfMatch(ifMatch, 'GET /api/postings/:id');
    const command = new ReplayPostingCommand(
      parsed.connectionId,
      parsed.payrollUuid,
      actor.id,
      undefined,
      actor.name,
      ifRevision,
    );
    const result = await this.commands.execute<ReplayPostingCommand, PostingCommandResult>(command);
    if (!result.ok) {
      etagOnRefusal(res, result.current);
      throw postingApiError(result.error, result.current);
    }
    return { id: result.postingId, status: result.status };
  }
}
