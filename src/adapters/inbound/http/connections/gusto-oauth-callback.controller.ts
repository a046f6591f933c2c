import { Controller, Get, HttpException, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GustoAuthorizationService,
  returnToOfState,
} from '../../../../application/connections/gusto-authorization.service';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { ApiError } from '../api-error';
import { toApiError } from './failure-status';
import { consolePath, withOutcome } from '../console/return-to';

type CallbackAnswer =
  | { connectionId: string; gusto: { companyUuid: string; status: 'connected' } }
  | {
      connectionId: string;
      gusto: { companyUuid: string; companyName?: string; status: 'awaiting_confirmation' };
      confirm: { method: 'POST'; path: string; body: { companyUuid: string } };
    };

/** Public: Gusto sends the admin's browser here. The state is the credential, checked before anything else. */
@ApiTags('connections')
@Controller('oauth/gusto')
export class GustoOAuthCallbackController {
  constructor(
    @Inject(GustoAuthorizationService) private readonly authorization: GustoAuthorizationService,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Get('callback')
  @ApiOperation({
    summary:
      'Finishes the Gusto authorization for the connection that `state` names; started from the console (`returnTo`), 302 back there',
  })
  async callback(
    @Query('code') code: unknown,
    @Query('state') state: unknown,
    @Query('error') error: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CallbackAnswer | undefined> {
    // Started from the console: back there whatever happened (the path is checked again: the state is outside input).
    const returnTo = typeof state === 'string' ? consolePath(returnToOfState(state)) : undefined;
    if (!returnTo) return this.finish(code, state, error, res);
    try {
      const answer = await this.finish(code, state, error, res);
      const outcome =
        answer.gusto.status === 'awaiting_confirmation'
          ? {
              gusto: 'awaiting_confirmation',
              companyUuid: answer.gusto.companyUuid,
              ...(answer.gusto.companyName ? { companyName: answer.gusto.companyName } : {}),
            }
          : { gusto: 'connected' };
      res.redirect(302, withOutcome(returnTo, outcome));
    } catch (failure) {
      if (!(failure instanceof HttpException)) throw failure;
      const body = failure.getResponse() as { error?: string };
      res.redirect(302, withOutcome(returnTo, { gusto: 'failed', error: body.error ?? 'gusto_authorization_failed' }));
    }
  }

  private async finish(code: unknown, state: unknown, error: unknown, res: Response): Promise<CallbackAnswer> {
    if (typeof error === 'string' && error)
      throw new ApiError(400, 'gusto_authorization_denied', `Gusto did not grant access: ${error.slice(0, 100)}`);
    const details = [
      ...(typeof code === 'string' && code ? [] : ['code: must be present']),
      ...(typeof state === 'string' && state ? [] : ['state: must be present']),
    ];
    if (details.length)
      throw new ApiError(400, 'validation_failed', `invalid callback: ${details.join('; ')}`, details);
    const outcome = await this.authorization.complete(code as string, state as string);
    if (!outcome.ok) {
      this.logger.write('warn', 'gusto authorization refused', { reason: outcome.error }, 'Connections');
      throw toApiError(outcome);
    }
    const { connectionId, companyUuid } = outcome.value;
    if (outcome.value.status === 'awaiting_confirmation') {
      // Nobody named the company when starting: nothing is bound until the key that started it confirms.
      this.logger.write(
        'info',
        'gusto authorization awaiting confirmation',
        { connectionId, companyUuid },
        'Connections',
      );
      res.status(202);
      const { companyName } = outcome.value;
      return {
        connectionId,
        gusto: { companyUuid, ...(companyName ? { companyName } : {}), status: 'awaiting_confirmation' },
        confirm: { method: 'POST', path: `/api/connections/${connectionId}/gusto/confirm`, body: { companyUuid } },
      };
    }
    this.logger.write('info', 'gusto authorized', { connectionId, companyUuid }, 'Connections');
    return { connectionId, gusto: { companyUuid, status: 'connected' } };
  }
}
