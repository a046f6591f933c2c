import { Body, Controller, Delete, Get, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyService, type ApiKeyView } from '../../../../application/api-keys/api-key.service';
import type { Principal } from '../../../../application/api-keys/principal';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ApiError } from '../api-error';
import { Actor } from '../auth/access.decorators';
import { CreateApiKeyDto, parseConnections } from './api-key.dto';

/** API keys (issue 15). Admin only, with a key for every connection (no decorator = admin; not connection-scoped). */
@ApiTags('keys')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/keys')
export class ApiKeysController {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer shows its secret once (only its SHA-256 is stored)' })
  @ApiResponse({ status: 201, description: '`{ id, name, role, connections, status, createdAt, createdBy, secret }`' })
  async create(@Body() body: CreateApiKeyDto, @Actor() actor: Principal): Promise<ApiKeyView & { secret: string }> {
    const connections = parseConnections(body.connections);
    if (!connections)
      throw new ApiError(400, 'validation_failed', 'connections must be "*" or a non-empty list of connection ids', [
        'connections: must be "*" or a non-empty list of connection ids',
      ]);
    const { key, secret } = await this.keys.create({ name: body.name, role: body.role, connections }, actor);
    this.logger.registerSecret(secret);
    this.logger.write('info', 'api key created', { keyId: key.id, role: key.role, by: actor.id }, 'ApiKeys');
    return { ...key, secret };
  }

  @Get()
  @ApiOperation({ summary: 'Every API key: name, role, connections, status (never a secret or its hash)' })
  async list(): Promise<{ items: ApiKeyView[]; next: null }> {
    return { items: await this.keys.list(), next: null };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key: its next request, on any instance, answers 401' })
  async revoke(@Param('id') id: string, @Actor() actor: Principal): Promise<ApiKeyView> {
    const outcome = await this.keys.revoke(id, actor);
    if (!outcome.ok) throw new ApiError(outcome.error === 'key_not_found' ? 404 : 409, outcome.error, outcome.message);
    this.logger.write('info', 'api key revoked', { keyId: id, by: actor.id }, 'ApiKeys');
    return outcome.key;
  }
}
