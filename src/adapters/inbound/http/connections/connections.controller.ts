import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ConnectionService,
  type ConnectionView,
  type NewConnection,
} from '../../../../application/connections/connection.service';
import { GustoAuthorizationService } from '../../../../application/connections/gusto-authorization.service';
import { PingService, type PingResult } from '../../../../application/connections/ping.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { AdminAuthGuard } from '../admin-auth.guard';
import { Actor, ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import type { LicenceLimits } from '../../../../domain/licence/licence-limits';
import {
  CreateConnectionDto,
  UpdateConnectionDto,
  type AcumaticaLicenceDto,
  type AcumaticaSettingsDto,
} from './connection.dto';
import { pageOf } from './connection-page';
import { toApiError } from './failure-status';
import { ApiError } from '../api-error';
import { etagOf, revisionFromIfMatch } from '../etag';
import type { Principal } from '../../../../application/api-keys/principal';
import { scopeIncludes } from '../../../../domain/api-key/roles';
import { returnToParam } from '../console/return-to';

@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class ConnectionsController {
  constructor(
    @Inject(ConnectionService) private readonly connections: ConnectionService,
    @Inject(GustoAuthorizationService) private readonly authorization: GustoAuthorizationService,
    @Inject(PingService) private readonly pings: PingService,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a connection (secrets are encrypted at once and never returned)' })
  async create(@Body() body: CreateConnectionDto, @Actor() actor: Principal): Promise<ConnectionView> {
    const outcome = await this.connections.create(
      {
        name: body.name,
        acumatica: acumaticaInput(body.acumatica),
        ...(body.mapping !== undefined ? { mapping: body.mapping } : {}),
      },
      actor,
    );
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write(
      'info',
      'connection created',
      { connectionId: outcome.value.id, authKind: body.acumatica.auth.kind },
      'Connections',
    );
    return outcome.value;
  }

  @Get()
  @RequiresRole('auditor')
  @ConnectionScoped('filtered-list')
  @ApiQuery({
    name: 'limit',
    required: false,
    description: '1–500: page the list (oldest first); without limit and after, every connection (v1)',
  })
  @ApiQuery({ name: 'after', required: false, description: 'the `next` cursor of the previous page' })
  async list(
    @Actor() actor: Principal,
    @Query('limit') limit: unknown,
    @Query('after') after: unknown,
  ): Promise<{ items: ConnectionView[]; next: string | null }> {
    const items = await this.connections.list();
    return pageOf(
      actor.connections === '*' ? items : items.filter((c) => scopeIncludes(actor.connections, c.id)),
      limit,
      after,
    );
  }

  @Put(':id')
  @ConnectionScoped('connection-param')
  @ApiOperation({
    summary: "Replace the connection's name and Acumatica settings (secrets sealed anew, never returned); admin",
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the ETag of GET /api/connections/:id (412 when the connection changed since)',
  })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateConnectionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Principal,
  ): Promise<ConnectionView> {
    const outcome = await this.connections.update(
      id,
      { name: body.name, acumatica: acumaticaInput(body.acumatica) },
      actor,
      revisionFromIfMatch(ifMatch, 'GET /api/connections/:id'),
    );
    if (!outcome.ok) {
      if (outcome.current !== undefined) res.setHeader('ETag', etagOf(outcome.current));
      throw toApiError(outcome);
    }
    this.logger.write('info', 'connection settings changed', { connectionId: id, by: actor.id }, 'Connections');
    res.setHeader('ETag', etagOf(outcome.value.revision));
    return outcome.value.view;
  }

  @Delete(':id')
  @ConnectionScoped('connection-param')
  @ApiOperation({
    summary: 'Delete the connection (an event); its secrets are used for nothing from then on; admin',
    description:
      'The connection answers 404 and leaves the list; its postings, their events and the audit trail stay readable (auditors), and its Gusto company may be authorized on another connection.',
  })
  async remove(
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: Principal,
  ): Promise<{ id: string; deletedAt: string }> {
    const outcome = await this.connections.remove(id, actor, revisionFromIfMatch(ifMatch, 'GET /api/connections/:id'));
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write('info', 'connection deleted', { connectionId: id, by: actor.id }, 'Connections');
    return outcome.value;
  }

  @Get(':id')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-param')
  @ApiResponse({
    status: 200,
    description: 'The connection; `ETag` is its revision (send it back as `If-Match` on PUT …/mapping)',
  })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ConnectionView> {
    const outcome = await this.connections.get(id);
    if (!outcome.ok) throw toApiError(outcome);
    res.setHeader('ETag', etagOf(await this.connections.revisionOf(id)));
    return outcome.value;
  }

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

  @Post(':id/ping')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @HttpCode(200)
  async ping(@Param('id') id: string): Promise<PingResult> {
    const outcome = await this.pings.ping(id);
    if (!outcome.ok) throw toApiError(outcome);
    return outcome.value;
  }

  @Put(':id/mapping')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @ApiBody({ description: 'The account mapping document (README "Account mapping")', schema: { type: 'object' } })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'the ETag of GET /api/connections/:id: the mapping is stored only if nobody changed the connection since (412 otherwise)',
  })
  @ApiResponse({
    status: 412,
    description: '`If-Match` names an older revision: the answer names the current one (and carries it as ETag)',
  })
  async putMapping(
    @Param('id') id: string,
    @Body() document: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Principal,
  ): Promise<{ id: string; version: number; acceptedAt: string }> {
    const outcome = await this.connections.putMapping(
      id,
      document,
      revisionFromIfMatch(ifMatch, 'GET /api/connections/:id'),
      actor,
    );
    if (!outcome.ok) {
      if (outcome.current !== undefined) res.setHeader('ETag', etagOf(outcome.current));
      throw toApiError(outcome);
    }
    this.logger.write('info', 'mapping accepted', { connectionId: id, version: outcome.value.version }, 'Connections');
    res.setHeader('ETag', etagOf(outcome.value.revision));
    return { id, version: outcome.value.version, acceptedAt: outcome.value.acceptedAt };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings as the application takes them: only the licence figures given, the auth of its kind. */
function acumaticaInput(dto: AcumaticaSettingsDto): NewConnection['acumatica'] {
  const { auth, licence, ...acumatica } = dto;
  return {
    ...acumatica,
    ...(licence ? { licence: licenceLimits(licence) } : {}),
    auth:
      auth.kind === 'oauth2'
        ? {
            kind: 'oauth2',
            clientId: auth.clientId ?? '',
            clientSecret: auth.clientSecret ?? '',
            username: auth.username,
            password: auth.password,
          }
        : { kind: 'cookie', username: auth.username, password: auth.password },
  };
}

/** Only the figures given, as a plain object (the event stores exactly what the administrator said). */
function licenceLimits(dto: AcumaticaLicenceDto): LicenceLimits {
  return {
    ...(dto.requestsPerMinute !== undefined ? { requestsPerMinute: dto.requestsPerMinute } : {}),
    ...(dto.maxConcurrent !== undefined ? { maxConcurrent: dto.maxConcurrent } : {}),
  };
}
