import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { ApiKeyService } from '../../../application/api-keys/api-key.service';
import { ADMIN_TOKEN_PRINCIPAL, type Principal } from '../../../application/api-keys/principal';
import { ConsoleSessions } from '../../../application/console/console-sessions';
import { roleAllows, type Role } from '../../../domain/api-key/roles';
import { ApiError } from './api-error';
import { attachPrincipal, CONNECTION_SCOPE, REQUIRED_ROLE, type ConnectionScopeKind } from './auth/access.decorators';
import { enforceConnectionScope } from './auth/connection-scope';
import { KeyRateLimit } from './auth/key-rate-limit';
import { csrfMatches, isSafeMethod, sessionCookieOf } from './auth/session-cookie';
import { SignInThrottle } from './auth/sign-in-throttle';

export { FAILED_SIGN_INS } from './auth/sign-in-throttle';

/**
 * Who may call /api, and what they may touch. `Authorization: Bearer <token>` where the token is
 * `$MLC_ADMIN_TOKEN` (principal `admin-token`: role admin, every connection) or an API key `mlc_<keyId>_…`
 * (checked against its SHA-256 in the key's own stream, read on every request: a revocation holds at once on
 * every instance). Then the route's `@RequiresRole` (none = admin: 403 naming the role needed) and, for keys
 * limited to some connections, its `@ConnectionScoped` (another connection answers 404, as if missing).
 * Compared in constant time. Wrong tokens
 * are logged (a few per minute per address, with the count) and, past 10 a minute from one address,
 * answered 429 with Retry-After — a guessing run gets nowhere and leaves a trace.
 *
 * Without an Authorization header, the console's session cookie (`mlc_session`, issue 16) stands in for
 * the key it was opened with — re-checked on every request — and every request other than GET/HEAD must
 * then carry `X-CSRF-Token` equal to the session's token (403 `csrf_failed`).
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly perKey: KeyRateLimit;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
  ) {
    // Hashing first gives equal-length buffers, so the comparison time says nothing about the token's length.
    this.expected = createHash('sha256').update(config.adminToken).digest();
    this.perKey = new KeyRateLimit(config.http.keyRequestsPerMinute);
  }

  /** MLC_METRICS_PUBLIC (for the /metrics guard that extends this one). */
  protected get metricsPublic(): boolean {
    return this.config.http.metricsPublic;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    this.throttle.check(req, http.getResponse<Response>());
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const cookie = req.headers.authorization === undefined ? sessionCookieOf(req) : undefined;
    const principal =
      cookie !== undefined
        ? await this.sessionPrincipal(cookie, req)
        : match
          ? await this.principalFor(match[1].trim())
          : undefined;
    if (!principal) {
      this.throttle.recordFailure(req);
      throw new ApiError(
        401,
        'unauthorized',
        'a valid bearer token is required (Authorization: Bearer $MLC_ADMIN_TOKEN, or an API key)',
      );
    }
    // API keys (not the bootstrap admin token) are held to MLC_KEY_REQUESTS_PER_MINUTE on this instance.
    const wait = principal.id === ADMIN_TOKEN_PRINCIPAL.id ? undefined : this.perKey.take(principal.id);
    if (wait !== undefined) {
      http.getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new ApiError(
        429,
        'rate_limited',
        `this key made more than ${this.config.http.keyRequestsPerMinute} requests this minute; wait ${wait} s`,
        { retryAfterSeconds: wait },
      );
    }
    const targets = [context.getHandler(), context.getClass()];
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'admin';
    if (!roleAllows(principal.role, needed)) {
      throw new ApiError(403, 'forbidden', `this route needs the role ${needed} (the key has ${principal.role})`, {
        requiredRole: needed,
        role: principal.role,
      });
    }
    enforceConnectionScope(
      principal,
      this.reflector.getAllAndOverride<ConnectionScopeKind | undefined>(CONNECTION_SCOPE, targets),
      req,
    );
    attachPrincipal(req, principal);
    return true;
  }

  /**
   * The console session's principal. A dead session (expired, signed out, key revoked) is a 401 of its own,
   * not counted as a guess: a sealed cookie cannot be guessed, and a console polling after a revocation must
   * not lock its address out.
   */
  private async sessionPrincipal(cookie: string, req: Request): Promise<Principal> {
    const session = await this.sessions.resolve(cookie);
    if (!session)
      throw new ApiError(
        401,
        'unauthorized',
        'the console session has ended (signed out, expired, or its key revoked): sign in again',
      );
    if (!isSafeMethod(req.method) && !csrfMatches(req, session.csrfToken)) {
      throw new ApiError(
        403,
        'csrf_failed',
        `a change made with the session cookie must carry the header X-CSRF-Token with the session's token (from POST or GET /api/session)`,
      );
    }
    return session.principal;
  }

  /** The admin token, else an API key read from its stream; undefined when neither matches. */
  private async principalFor(token: string): Promise<Principal | undefined> {
    const given = createHash('sha256').update(token).digest();
    if (timingSafeEqual(given, this.expected)) return ADMIN_TOKEN_PRINCIPAL;
    return token.startsWith('mlc_') ? this.keys.authenticate(token) : undefined;
  }
}
