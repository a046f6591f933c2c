import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { LOGGER, type JsonLogger } from '../../logging/json-logger';
import { ApiKeyService } from '../../../application/api-keys/api-key.service';
import { ADMIN_TOKEN_PRINCIPAL, type Principal } from '../../../application/api-keys/principal';
import { roleAllows, type Role } from '../../../domain/api-key/roles';
import { ApiError } from './api-error';
import { attachPrincipal, CONNECTION_SCOPE, REQUIRED_ROLE, type ConnectionScopeKind } from './auth/access.decorators';
import { enforceConnectionScope } from './auth/connection-scope';
import { KeyRateLimit } from './auth/key-rate-limit';
import { METRICS, type MetricsRegistry } from '../../../application/metrics/metrics.port';

/** Requests refused at sign-in: `throttled="false"` a missing or wrong token (401), `"true"` refused unread past the limit (429). */
export const FAILED_SIGN_INS = { name: 'mlc_failed_sign_ins_total', help: 'Requests refused for a missing or wrong bearer token', labelNames: ['throttled'] } as const;

/** Wrong tokens allowed per client address per minute before it is told to wait (429). */
const FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
/** Addresses remembered at most (oldest forgotten first): a flood of addresses cannot grow memory. */
const MAX_TRACKED = 10_000;

/**
 * Who may call /api, and what they may touch. `Authorization: Bearer <token>` where the token is
 * `$MLC_ADMIN_TOKEN` (principal `admin-token`: role admin, every connection) or an API key `mlc_<keyId>_…`
 * (checked against its SHA-256 in the key's own stream, read on every request: a revocation holds at once on
 * every instance). Then the route's `@RequiresRole` (none = admin: 403 naming the role needed) and, for keys
 * limited to some connections, its `@ConnectionScoped` (another connection answers 404, as if missing).
 * Compared in constant time. Wrong tokens
 * are logged (a few per minute per address, with the count) and, past 10 a minute from one address,
 * answered 429 with Retry-After — a guessing run gets nowhere and leaves a trace.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly failures = new Map<string, { since: number; count: number }>();
  private readonly perKey: KeyRateLimit;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Optional() @Inject(LOGGER) private readonly logger?: JsonLogger,
    @Optional() @Inject(METRICS) private readonly metrics?: MetricsRegistry,
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
    const client = req.socket?.remoteAddress ?? 'unknown';
    const now = Date.now();
    const record = this.failures.get(client);
    const current = record && now - record.since < WINDOW_MS ? record : undefined;
    if (current && current.count >= FAILURES_PER_MINUTE) {
      this.metrics?.counter(FAILED_SIGN_INS).inc({ throttled: 'true' });
      http.getResponse<Response>().setHeader('Retry-After', String(Math.ceil((current.since + WINDOW_MS - now) / 1000)));
      throw new ApiError(429, 'too_many_failed_sign_ins', 'too many requests with a wrong admin token from this address; wait and try again');
    }
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const principal = match ? await this.principalFor(match[1].trim()) : undefined;
    if (!principal) {
      this.recordFailure(client, current, now, req);
      throw new ApiError(401, 'unauthorized', 'a valid bearer token is required (Authorization: Bearer $MLC_ADMIN_TOKEN, or an API key)');
    }
    // API keys (not the bootstrap admin token) are held to MLC_KEY_REQUESTS_PER_MINUTE on this instance.
    const wait = principal.id === ADMIN_TOKEN_PRINCIPAL.id ? undefined : this.perKey.take(principal.id);
    if (wait !== undefined) {
      http.getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new ApiError(429, 'rate_limited', `this key made more than ${this.config.http.keyRequestsPerMinute} requests this minute; wait ${wait} s`, { retryAfterSeconds: wait });
    }
    const targets = [context.getHandler(), context.getClass()];
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'admin';
    if (!roleAllows(principal.role, needed)) {
      throw new ApiError(403, 'forbidden', `this route needs the role ${needed} (the key has ${principal.role})`, { requiredRole: needed, role: principal.role });
    }
    enforceConnectionScope(principal, this.reflector.getAllAndOverride<ConnectionScopeKind | undefined>(CONNECTION_SCOPE, targets), req);
    attachPrincipal(req, principal);
    return true;
  }

  /** The admin token, else an API key read from its stream; undefined when neither matches. */
  private async principalFor(token: string): Promise<Principal | undefined> {
    const given = createHash('sha256').update(token).digest();
    if (timingSafeEqual(given, this.expected)) return ADMIN_TOKEN_PRINCIPAL;
    return token.startsWith('mlc_') ? this.keys.authenticate(token) : undefined;
  }

  private recordFailure(client: string, current: { since: number; count: number } | undefined, now: number, req: Request): void {
    const next = current ? { since: current.since, count: current.count + 1 } : { since: now, count: 1 };
    this.failures.delete(client);
    this.failures.set(client, next);
    this.metrics?.counter(FAILED_SIGN_INS).inc({ throttled: 'false' });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    // The first three of a minute, then the one that reaches the limit: enough to see a guessing run, not a flood of lines.
    if (next.count <= 3 || next.count === FAILURES_PER_MINUTE) {
      this.logger?.write('warn', 'admin API refused: missing or wrong bearer token', { client, path: req.originalUrl?.split('?')[0], failuresThisMinute: next.count, throttled: next.count >= FAILURES_PER_MINUTE }, 'AdminAuth');
    }
  }
}
