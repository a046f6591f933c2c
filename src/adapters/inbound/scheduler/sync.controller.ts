import { Controller, HttpCode, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BackfillPoll, type PollSummary } from '../../../application/inbox/backfill-poll';
import { AdminAuthGuard } from '../http/admin-auth.guard';
import { Actor, ConnectionScoped, RequiresRole } from '../http/auth/access.decorators';
import type { Principal } from '../../../application/api-keys/principal';
import { ApiError } from '../http/api-error';

/** How long the request waits for the poll; a longer one carries on in the background (202). */
const ANSWER_WITHIN_MS = 20_000;

/** POST /api/connections/:id/sync — runs the backfill poll for one connection now. */
@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class SyncController {
  constructor(@Inject(BackfillPoll) private readonly poll: BackfillPoll) {}

  @Post(':id/sync')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run the backfill poll (processed payrolls without a posting, then every employee) for this connection now',
  })
  @ApiResponse({ status: 200, description: 'Poll finished: what it saw and which payrolls it requested' })
  @ApiResponse({
    status: 202,
    description:
      'Poll running: already (here, or on another instance holding the poll lease: status "busy" with busy and heldBy), or still after 20 s',
  })
  @ApiResponse({ status: 404, description: 'No such connection' })
  @ApiResponse({ status: 409, description: 'The connection is not authorized with Gusto' })
  @ApiResponse({ status: 502, description: 'Gusto could not be read; nothing was advanced' })
  @ApiResponse({
    status: 503,
    description: 'The event store is unreachable (the poll lease could not be claimed); nothing ran',
  })
  async sync(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Principal,
  ): Promise<PollSummary | { connectionId: string; status: 'running' }> {
    let timer: NodeJS.Timeout | undefined;
    const later = new Promise<'later'>((resolve) => {
      timer = setTimeout(() => resolve('later'), ANSWER_WITHIN_MS);
    });
    const run = this.poll.pollConnection(id, 'manual', undefined, undefined, actor);
    const summary = await Promise.race([run, later]).finally(() => clearTimeout(timer));
    if (summary === 'later') {
      res.status(202);
      return { connectionId: id, status: 'running' };
    }
    if (summary === null) throw new ApiError(404, 'not_found', `connection ${id} does not exist`);
    switch (summary.status) {
      case 'completed':
        return summary;
      case 'busy':
        res.status(202);
        return summary;
      case 'skipped':
        throw new ApiError(
          409,
          'gusto_not_connected',
          summary.error ?? 'the connection is not authorized with Gusto',
          summary,
        );
      case 'failed':
        if (summary.failedOn === 'event_store')
          throw new ApiError(
            503,
            'unavailable',
            `the poll could not start: ${summary.error ?? 'the event store is unreachable'}`,
            summary,
          );
        throw new ApiError(
          502,
          'gusto_unavailable',
          `the poll could not read Gusto: ${summary.error ?? 'unknown error'}`,
          summary,
        );
      default: {
        const unexpected: never = summary.status;
        throw new Error(`unhandled poll status ${String(unexpected)}`);
      }
    }
  }
}
