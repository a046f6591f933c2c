import { CONNECTIONS, type Connections } from '../../../../application/ports/connections.port';
import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../../../../application/api-keys/principal';
import { AccrualReplay } from '../../../../application/payroll-accrual/accrual-replay';
import type { AccrualError } from '../../../../domain/payroll-accrual/lifecycle';
import { parsePostingId } from '../../../../domain/payroll-posting/events';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ApiError } from '../api-error';
import { Actor, ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { postingApiError } from './posting-errors';

const ACCRUAL_MESSAGES: Record<AccrualError, [number, string]> = {
  accrual_not_found: [404, 'this posting has no accrual for that month'],
  accrual_not_replayable: [409, 'the accrual is posted or still running: there is nothing to re-run'],
};

/** A posting's month-end accruals (issue 14): their state is in GET /api/postings/:id (`accruals`). */
@ApiTags('postings')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/postings')
export class AccrualsController {
  constructor(
    @Inject(AccrualReplay) private readonly replays: AccrualReplay,
    @Inject(CONNECTIONS) private readonly connections: Connections,
  ) {}

  @Post(':id/accruals/:month/replay')
  @RequiresRole('operator')
  @ConnectionScoped('posting-param')
  @HttpCode(202)
  @ApiParam({ name: 'month', description: 'YYYY-MM: the accrual month, as in the posting view' })
  @ApiOperation({
    summary:
      "Re-run one month's accrual of the posting's current generation after a fix: stuck (e.g. accruedPayroll now mapped), failing (now, not at the next retry) or skipped for a closed period (now open). Still exactly once. 404 accrual_not_found, 409 accrual_not_replayable",
  })
  async replay(
    @Param('id') id: string,
    @Param('month') month: string,
    @Actor() actor: Principal,
  ): Promise<{ id: string; month: string; status: string }> {
    const parsed = parsePostingId(id);
    if (!parsed) throw postingApiError('posting_not_found');
    // A deleted (or unknown) connection's postings stay readable but are never run again.
    if (!(await this.connections.get(parsed.connectionId))) throw postingApiError('posting_not_found');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new ApiError(400, 'validation_failed', 'month must be YYYY-MM', ['month: must be YYYY-MM']);
    const result = await this.replays.replay(
      parsed.connectionId,
      parsed.payrollUuid,
      month,
      actor.id,
      undefined,
      actor.name,
    );
    if (!result.ok) {
      if (
        result.error === 'posting_not_found' ||
        result.error === 'write_conflict' ||
        result.error === 'revision_mismatch'
      )
        throw postingApiError(result.error);
      const [status, message] = ACCRUAL_MESSAGES[result.error];
      throw new ApiError(status, result.error, message);
    }
    return { id, month: result.month, status: result.status };
  }
}
