import { Injectable, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AdminAuthGuard } from '../admin-auth.guard';

/**
 * /metrics: open without a bearer token when MLC_METRICS_PUBLIC allows (v1; the default outside
 * production), else — and whenever a token is sent — authenticated like /api (any role; a key limited to
 * some connections then sees only their series).
 */
@Injectable()
export class MetricsAccessGuard extends AdminAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.headers.authorization === undefined && this.metricsPublic) return true;
    return super.canActivate(context);
  }
}
