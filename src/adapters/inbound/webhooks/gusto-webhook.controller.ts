import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { EventStoreUnavailableError } from '../../../application/ports/event-store.port';
import { WebhookIntake, type IntakeResult } from '../../../application/inbox/webhook-intake';
import { ApiError } from '../http/api-error';

type RawRequest = Request & { rawBody?: Buffer };

/**
 * POST /webhooks/gusto. The body arrives as raw bytes (bootstrap mounts a raw parser on /webhooks, 1 MiB
 * limit → 413 before we run), so the signature is checked over exactly what Gusto signed.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class GustoWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post('gusto')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Gusto webhooks (public): signature checked over the raw body first, then recorded in the inbox and acted on asynchronously',
    description:
      'Also answers the subscription handshake `{"verification_token": "…"}` (kept sealed; confirmed to Gusto when client credentials are configured). ' +
      'Events acted on: payroll.processed, payroll.cancelled, payroll.reversed, payroll.partially_reversed, employee.created|updated|terminated|rehired (and the termination/rehire effective/cancelled variants). Others are recorded and acknowledged.',
  })
  @ApiHeader({
    name: 'X-Gusto-Signature',
    required: true,
    description: 'lowercase hex HMAC-SHA256 of the raw body, keyed by the verification token',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['uuid', 'event_type', 'resource_uuid', 'entity_uuid'],
      properties: {
        uuid: { type: 'string' },
        event_type: { type: 'string', example: 'payroll.processed' },
        resource_type: { type: 'string', example: 'Company' },
        resource_uuid: { type: 'string', description: 'company uuid' },
        entity_type: { type: 'string' },
        entity_uuid: { type: 'string' },
        timestamp: { type: 'integer', description: 'epoch seconds' },
      },
    },
  })
  @ApiResponse({ status: 200, description: '`{ status: accepted | duplicate | verification, eventUuid? }`' })
  @ApiResponse({
    status: 400,
    description: 'signed, but not JSON or missing uuid/event_type/entity_uuid/resource_uuid',
  })
  @ApiResponse({ status: 401, description: 'missing or bad X-Gusto-Signature (nothing stored)' })
  @ApiResponse({ status: 413, description: 'body over 1 MiB' })
  @ApiResponse({ status: 503, description: 'event store unreachable (Gusto retries)' })
  async receive(
    @Req() req: RawRequest,
    @Headers('x-gusto-signature') signature: string | undefined,
  ): Promise<{ status: string; eventUuid?: string }> {
    const raw = Buffer.isBuffer(req.rawBody)
      ? req.rawBody
      : Buffer.isBuffer(req.body)
        ? (req.body as Buffer)
        : Buffer.alloc(0);
    let result: IntakeResult;
    try {
      result = await this.intake.receive(raw, signature);
    } catch (error) {
      // Not recorded: a non-2xx makes Gusto deliver it again later (up to 16 times).
      if (error instanceof EventStoreUnavailableError)
        throw new ApiError(503, 'unavailable', 'the event store is unreachable; Gusto will retry');
      throw error;
    }
    switch (result.outcome) {
      case 'accepted':
      case 'duplicate':
      case 'verification':
        return { status: result.outcome, ...(result.eventUuid ? { eventUuid: result.eventUuid } : {}) };
      case 'malformed':
        throw new ApiError(
          400,
          'malformed_body',
          `webhook body is malformed: ${result.reason ?? 'unreadable'}`,
          result.field ? { field: result.field } : undefined,
        );
      case 'bad_signature':
        throw new ApiError(401, 'bad_signature', 'missing or invalid X-Gusto-Signature');
      default: {
        const unexpected: never = result.outcome;
        throw new Error(`unhandled intake outcome ${String(unexpected)}`);
      }
    }
  }
}
