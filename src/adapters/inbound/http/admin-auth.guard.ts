import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { LOGGER, type JsonLogger } from '../../logging/json-logger';
import { ApiError } from './api-error';

/** Wrong tokens allowed per client address per minute before it is told to wait (429). */
const FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
/** Addresses remembered at most (oldest forgotten first): a flood of addresses cannot grow memory. */
const MAX_TRACKED = 10_000;

/**
 * `Authorization: Bearer $MLC_ADMIN_TOKEN` on everything under /api. Compared in constant time. Wrong tokens
 * are logged (a few per minute per address, with the count) and, past 10 a minute from one address,
 * answered 429 with Retry-After — a guessing run gets nowhere and leaves a trace.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(LOGGER) private readonly logger?: JsonLogger,
  ) {
    // Hashing first gives equal-length buffers, so the comparison time says nothing about the token's length.
    this.expected = createHash('sha256').update(config.adminToken).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const client = req.socket?.remoteAddress ?? 'unknown';
    const now = Date.now();
    const record = this.failures.get(client);
    const current = record && now - record.since < WINDOW_MS ? record : undefined;
    if (current && current.count >= FAILURES_PER_MINUTE) {
      http.getResponse<Response>().setHeader('Retry-After', String(Math.ceil((current.since + WINDOW_MS - now) / 1000)));
      throw new ApiError(429, 'too_many_failed_sign_ins', 'too many requests with a wrong admin token from this address; wait and try again');
    }
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const given = createHash('sha256').update(match ? match[1].trim() : '').digest();
    if (!match || !timingSafeEqual(given, this.expected)) {
      this.recordFailure(client, current, now, req);
      throw new ApiError(401, 'unauthorized', 'a valid admin bearer token is required (Authorization: Bearer $MLC_ADMIN_TOKEN)');
    }
    return true;
  }

  private recordFailure(client: string, current: { since: number; count: number } | undefined, now: number, req: Request): void {
    const next = current ? { since: current.since, count: current.count + 1 } : { since: now, count: 1 };
    this.failures.delete(client);
    this.failures.set(client, next);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    // The first three of a minute, then the one that reaches the limit: enough to see a guessing run, not a flood of lines.
    if (next.count <= 3 || next.count === FAILURES_PER_MINUTE) {
      this.logger?.write('warn', 'admin API refused: missing or wrong bearer token', { client, path: req.originalUrl?.split('?')[0], failuresThisMinute: next.count, throttled: next.count >= FAILURES_PER_MINUTE }, 'AdminAuth');
    }
  }
}
