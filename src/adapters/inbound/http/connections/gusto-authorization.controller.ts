import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '../../../../application/api-keys/principal';
import { GustoAuthorizationService } from '../../../../application/connections/gusto-authorization.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ApiError } from '../api-error';
import { Actor, ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { returnToParam } from '../console/return-to';
import { toApiError } from './failure-status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A connection's Gusto authorization: the redirect to Gusto, and the confirmation of the company it showed. */
@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class GustoAuthorizationController {
  constructor(
    @Inject(GustoAuthorizationService) private readonly authorization: GustoAuthorizationService,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Get(':id/gusto/authorize')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @ApiOperation({
    summary: "302 to Gusto's authorize page with a fresh single-use state and PKCE (S256)",
    description:
      'With `?companyUuid=`: the callback binds only a code for that company. Without: the callback shows the company and the same key confirms it with POST …/gusto/confirm.',
  })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    description:
      'a path under /console/: after the callback the browser is sent back there with `gusto=connected` (or `gusto=awaiting_confirmation&companyUuid=…`, or `gusto=failed&error=…`)',
  })
  async authorize(
    @Param('id') id: string,
    @Query('companyUuid') companyUuid: unknown,
    @Query('returnTo') returnTo: unknown,
    @Res() res: Response,
    @Actor() actor: Principal,
  ): Promise<void> {
    if (companyUuid !== undefined && (typeof companyUuid !== 'string' || !UUID.test(companyUuid))) {
      throw new ApiError(400, 'validation_failed', 'companyUuid must be a Gusto company uuid', [
        'companyUuid: must be a UUID',
      ]);
    }
    const outcome = await this.authorization.start(id, actor, companyUuid, returnToParam(returnTo));
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write(
      'info',
      'gusto authorization started',
      { connectionId: id, by: actor.id, companyNamed: companyUuid !== undefined },
      'Connections',
    );
    res.redirect(302, outcome.value.url);
  }

  @Post(':id/gusto/confirm')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Bind the Gusto company a callback showed (awaiting_confirmation); only the key that started the authorization may',
  })
  @ApiBody({ schema: { type: 'object', properties: { companyUuid: { type: 'string' } }, required: ['companyUuid'] } })
  async confirmGusto(
    @Param('id') id: string,
    @Body() body: unknown,
    @Actor() actor: Principal,
  ): Promise<{ connectionId: string; gusto: { companyUuid: string; status: 'connected' } }> {
    const companyUuid = (body as { companyUuid?: unknown } | undefined)?.companyUuid;
    if (typeof companyUuid !== 'string' || !UUID.test(companyUuid))
      throw new ApiError(400, 'validation_failed', 'companyUuid must be the uuid the callback showed', [
        'companyUuid: must be a UUID',
      ]);
    const outcome = await this.authorization.confirm(id, companyUuid, actor);
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write(
      'info',
      'gusto company confirmed',
      { connectionId: id, companyUuid, by: actor.id },
      'Connections',
    );
    return { connectionId: id, gusto: { companyUuid, status: 'connected' } };
  }
}
