import { Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { WebhookKeyring, type KeyringStatus } from '../../../application/inbox/webhook-keyring';
import { AdminAuthGuard } from '../http/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { Actor } from '../http/auth/access.decorators';
import type { Principal } from '../../../application/api-keys/principal';

/**
 * The webhook signing key, as an operator sees it. Without GUSTO_WEBHOOK_VERIFICATION_TOKEN (outside
 * production), Gusto's handshake token becomes the key only inside a window opened here, and only once
 * Gusto confirms it (the subscription verify call succeeds).
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/webhooks/gusto')
export class HandshakeWindowController {
  constructor(@Inject(WebhookKeyring) private readonly keyring: WebhookKeyring) {}

  @Get('handshake')
  @ApiOperation({
    summary:
      'Where the webhook signing key comes from (configured, adopted, none), its fingerprint, and whether a handshake window is open',
  })
  @ApiResponse({
    status: 200,
    description: '`{ source: configured | adopted | none, fingerprint?, handshakeWindowOpenUntil? }`',
  })
  status(): Promise<KeyringStatus> {
    return this.keyring.status();
  }

  @Post('handshake')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Open the handshake window for 10 minutes: a verification token Gusto sends meanwhile becomes the signing key once Gusto confirms it',
    description:
      'Then create (or re-request the token of) the webhook subscription in Gusto. The adoption is recorded with the admin as its actor.',
  })
  @ApiResponse({ status: 200, description: '`{ handshakeWindowOpenUntil }`' })
  @ApiResponse({
    status: 409,
    description: 'GUSTO_WEBHOOK_VERIFICATION_TOKEN is set: it is the key, a handshake changes nothing',
  })
  async open(@Actor() actor: Principal): Promise<{ handshakeWindowOpenUntil: string }> {
    const result = await this.keyring.openHandshakeWindow(actor.id, actor.name);
    if (!result.ok)
      throw new ApiError(
        409,
        result.error,
        'GUSTO_WEBHOOK_VERIFICATION_TOKEN is set: it is the signing key, and a handshake cannot replace it',
      );
    return { handshakeWindowOpenUntil: result.until };
  }
}
