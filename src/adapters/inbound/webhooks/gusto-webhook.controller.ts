import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request } from 'express';
import { EventStoreUnavailableError } from '../../../application/ports/event-store.port';
import { WebhookIntake, type IntakeResult } from '../../../application/inbox/webhook-intake';
import { ApiError } from '../http/api-error';

type RawRequest = Request & { rawBody?: Buffer };

/**
 * POST /webhooks/gusto. The body arrives as raw bytes (bootstrap mounts a raw parser on /webhooks, 1 MiB
 * limit → 413 before we run), so the signature is checked over exactly what Gusto signed.
 */
@Controller('webhooks')
export class GustoWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post('gusto')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async receive(@Req() req: RawRequest, @Headers('x-gusto-signature') signature: string | undefined): Promise<{ status: string; eventUuid?: string }> {
    const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    let result: IntakeResult;
    try {
      result = await this.intake.receive(raw, signature);
    } catch (error) {
      // Not recorded: a non-2xx makes Gusto deliver it again later (up to 16 times).
      if (error instanceof EventStoreUnavailableError) throw new ApiError(503, 'unavailable', 'the event store is unreachable; Gusto will retry');
      throw error;
    }
    switch (result.status) {
      case 200:
        return { status: result.outcome, ...(result.eventUuid ? { eventUuid: result.eventUuid } : {}) };
      case 400:
        throw new ApiError(400, 'malformed_body', `webhook body is malformed: ${result.reason ?? 'unreadable'}`);
      case 401:
        throw new ApiError(401, 'bad_signature', 'missing or invalid X-Gusto-Signature');
      default: {
        const unexpected: never = result.status;
        throw new Error(`unhandled intake status ${String(unexpected)}`);
      }
    }
  }
}
