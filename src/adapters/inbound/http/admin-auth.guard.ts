import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { ApiError } from './api-error';

/** `Authorization: Bearer $MLC_ADMIN_TOKEN` on everything under /api. Compared in constant time. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Hashing first gives equal-length buffers, so the comparison time says nothing about the token's length.
    this.expected = createHash('sha256').update(config.adminToken).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization;
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    const given = createHash('sha256').update(match ? match[1].trim() : '').digest();
    if (!match || !timingSafeEqual(given, this.expected)) {
      throw new ApiError(401, 'unauthorized', 'a valid admin bearer token is required (Authorization: Bearer $MLC_ADMIN_TOKEN)');
    }
    return true;
  }
}
