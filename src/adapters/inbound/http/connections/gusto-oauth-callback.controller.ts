import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GustoAuthorizationService } from '../../../../application/connections/gusto-authorization.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { ApiError } from '../api-error';
import { toApiError } from './failure-status';

/** Public: Gusto sends the admin's browser here. The state is the credential, checked before anything else. */
@ApiTags('connections')
@Controller('oauth/gusto')
export class GustoOAuthCallbackController {
  constructor(
    @Inject(GustoAuthorizationService) private readonly authorization: GustoAuthorizationService,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Get('callback')
  @ApiOperation({ summary: 'Finishes the Gusto authorization for the connection that `state` names' })
  async callback(
    @Query('code') code: unknown,
    @Query('state') state: unknown,
    @Query('error') error: unknown,
  ): Promise<{ connectionId: string; gusto: { companyUuid: string; status: 'connected' } }> {
    if (typeof error === 'string' && error) throw new ApiError(400, 'gusto_authorization_denied', `Gusto did not grant access: ${error.slice(0, 100)}`);
    const details = [
      ...(typeof code === 'string' && code ? [] : ['code: must be present']),
      ...(typeof state === 'string' && state ? [] : ['state: must be present']),
    ];
    if (details.length) throw new ApiError(400, 'validation_failed', `invalid callback: ${details.join('; ')}`, details);
    const outcome = await this.authorization.complete(code as string, state as string);
    if (!outcome.ok) {
      this.logger.write('warn', 'gusto authorization refused', { reason: outcome.error }, 'Connections');
      throw toApiError(outcome);
    }
    this.logger.write('info', 'gusto authorized', { connectionId: outcome.value.connectionId, companyUuid: outcome.value.companyUuid }, 'Connections');
    return { connectionId: outcome.value.connectionId, gusto: { companyUuid: outcome.value.companyUuid, status: 'connected' } };
  }
}
