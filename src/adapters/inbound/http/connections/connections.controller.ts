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
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectionService, type ConnectionView } from '../../../../application/connections/connection.service';
import { PingService, type PingResult } from '../../../../application/connections/ping.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { AdminAuthGuard } from '../admin-auth.guard';
import { Actor, ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { CreateConnectionDto, UpdateConnectionDto } from './connection.dto';
import { acumaticaInput } from './connection-input';
import { pageOf } from './connection-page';
import { toApiError } from './failure-status';
import { etagOf, etagOnRefusal, IfMatchDocs, revisionFromIfMatch } from '../etag';
import type { Principal } from '../../../../application/api-keys/principal';
import { scopeIncludes } from '../../../../domain/api-key/roles';

@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class ConnectionsController {
  constructor(
    @Inject(ConnectionService) private readonly connections: ConnectionService,
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
  @IfMatchDocs('the ETag of GET /api/connections/:id (412 when the connection changed since)')
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
      etagOnRefusal(res, outcome.current);
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
  @IfMatchDocs(
    'the ETag of GET /api/connections/:id: the mapping is stored only if nobody changed the connection since (412 otherwise)',
  )
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
      etagOnRefusal(res, outcome.current);
      throw toApiError(outcome);
    }
    this.logger.write('info', 'mapping accepted', { connectionId: id, version: outcome.value.version }, 'Connections');
    res.setHeader('ETag', etagOf(outcome.value.revision));
    return { id, version: outcome.value.version, acceptedAt: outcome.value.acceptedAt };
  }
}
