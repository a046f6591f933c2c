import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectionService, type ConnectionView } from '../../../../application/connections/connection.service';
import { GustoAuthorizationService } from '../../../../application/connections/gusto-authorization.service';
import { PingService, type PingResult } from '../../../../application/connections/ping.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { AdminAuthGuard } from '../admin-auth.guard';
import type { LicenceLimits } from '../../../../domain/licence/licence-limits';
import { CreateConnectionDto, type AcumaticaLicenceDto } from './connection.dto';
import { toApiError } from './failure-status';

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
  async create(@Body() body: CreateConnectionDto): Promise<ConnectionView> {
    const { auth, licence, ...acumatica } = body.acumatica;
    const outcome = await this.connections.create({
      name: body.name,
      acumatica: {
        ...acumatica,
        ...(licence ? { licence: licenceLimits(licence) } : {}),
        auth:
          auth.kind === 'oauth2'
            ? { kind: 'oauth2', clientId: auth.clientId!, clientSecret: auth.clientSecret!, username: auth.username, password: auth.password }
            : { kind: 'cookie', username: auth.username, password: auth.password },
      },
      ...(body.mapping !== undefined ? { mapping: body.mapping } : {}),
    });
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write('info', 'connection created', { connectionId: outcome.value.id, authKind: auth.kind }, 'Connections');
    return outcome.value;
  }

  @Get()
  async list(): Promise<{ items: ConnectionView[]; next: null }> {
    return { items: await this.connections.list(), next: null };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<ConnectionView> {
    const outcome = await this.connections.get(id);
    if (!outcome.ok) throw toApiError(outcome);
    return outcome.value;
  }

  @Get(':id/gusto/authorize')
  @ApiOperation({ summary: "302 to Gusto's authorize page with a fresh single-use state" })
  async authorize(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const outcome = await this.authorization.start(id);
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write('info', 'gusto authorization started', { connectionId: id }, 'Connections');
    res.redirect(302, outcome.value.url);
  }

  @Post(':id/ping')
  @HttpCode(200)
  async ping(@Param('id') id: string): Promise<PingResult> {
    const outcome = await this.pings.ping(id);
    if (!outcome.ok) throw toApiError(outcome);
    return outcome.value;
  }

  @Put(':id/mapping')
  @ApiBody({ description: 'The account mapping document (README "Account mapping")', schema: { type: 'object' } })
  async putMapping(@Param('id') id: string, @Body() document: unknown): Promise<{ id: string; version: number; acceptedAt: string }> {
    const outcome = await this.connections.putMapping(id, document);
    if (!outcome.ok) throw toApiError(outcome);
    this.logger.write('info', 'mapping accepted', { connectionId: id, version: outcome.value.version }, 'Connections');
    return { id, ...outcome.value };
  }
}

/** Only the figures given, as a plain object (the event stores exactly what the administrator said). */
function licenceLimits(dto: AcumaticaLicenceDto): LicenceLimits {
  return {
    ...(dto.requestsPerMinute !== undefined ? { requestsPerMinute: dto.requestsPerMinute } : {}),
    ...(dto.maxConcurrent !== undefined ? { maxConcurrent: dto.maxConcurrent } : {}),
  };
}
