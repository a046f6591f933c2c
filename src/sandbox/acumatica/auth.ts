/**
 * Identity server (`/identity/connect/token`: password + refresh_token grants) and cookie sessions
 * (`/entity/auth/login|logout`). Every live cookie session and OAuth grant holds one API-user slot.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Ctx, OPAQUE_429, send, sendError } from './http';
import { isObject, parseJson } from './json';
import type { SandboxClient, SandboxKnobs, SandboxStats, SandboxUser, SandboxClock } from './types';
import { required } from '../../domain/shared/required';

export const TOKEN_TTL_MS = 3600_000;
export const COOKIE_IDLE_MS = 10 * 60_000;
export const REFRESH_CHAIN_MS = 30 * 24 * 3600_000;

export interface Session {
  id: string;
  kind: 'cookie' | 'oauth';
  username: string;
  /** The OAuth client that opened it (absent for a cookie session). */
  clientId?: string;
  expiresAt: number;
  /** Release running in this session: only its status poll is served. */
  runningAction?: string;
}
interface Grant {
  sessionId: string;
  username: string;
  clientId: string;
  scope: string;
  chainStart: number;
}

const form = (raw: string): Record<string, string> => Object.fromEntries(new URLSearchParams(raw));
const tokenString = (): string => randomBytes(32).toString('base64url');
const CLIENT_ID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}@(.+)$/;

export class Auth {
  readonly sessions = new Map<string, Session>();
  private readonly accessTokens = new Map<string, { sessionId: string; clientId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(
    private readonly tenant: string,
    private readonly users: SandboxUser[],
    private readonly clients: SandboxClient[],
    private readonly clock: SandboxClock,
    private readonly knobs: SandboxKnobs,
    private readonly stats: SandboxStats,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }
  liveSessions(): Session[] {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
    return [...this.sessions.values()];
  }
  private atLoginLimit(): boolean {
    const max = this.knobs.licence.maxSessions;
    return max !== undefined && this.liveSessions().length >= max;
  }
  private loginLimit(ctx: Ctx): void {
    this.stats.loginLimitRejections++;
    ctx.record.fault = 'login_limit';
    if (this.knobs.loginLimitResponse === 'message-500') {
      return sendError(
        ctx,
        500,
        'API Login Limit reached. The number of concurrent API logins has exceeded the license limit.',
      );
    }
    this.stats.throttled429++;
    send(ctx, 429, OPAQUE_429, this.knobs.retryAfterHeader ? { 'Retry-After': String(this.knobs.retryAfterSec) } : {});
  }

  /** Who is calling: bearer token, cookie session, nothing, or something stale/unknown. */
  identify(ctx: Ctx): void {
    const authz = ctx.req.headers.authorization;
    if (authz?.startsWith('Bearer ')) {
      const t = this.accessTokens.get(authz.slice(7).trim());
      const s = t && t.expiresAt > this.now() ? this.liveSessions().find((x) => x.id === t.sessionId) : undefined;
      ctx.auth = s ? 'bearer' : 'invalid';
      ctx.sessionId = s?.id;
      return;
    }
    const cookie = /(?:^|;\s*)\.ASPXAUTH=([^;]+)/.exec(ctx.req.headers.cookie ?? '');
    if (!cookie) return;
    const s = this.liveSessions().find((x) => x.kind === 'cookie' && x.id === cookie[1]);
    ctx.auth = s ? 'cookie' : 'invalid';
    if (s) {
      s.expiresAt = this.now() + COOKIE_IDLE_MS;
      ctx.sessionId = s.id;
    }
  }

  token(ctx: Ctx): void {
    this.stats.tokenCalls++;
    const p = form(ctx.rawBody);
    const basic = /^Basic (.+)$/.exec(ctx.req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
      p.client_id ??= id;
      p.client_secret ??= secret;
    }
    const bad = (error: string, description?: string): void =>
      send(ctx, 400, description ? { error, error_description: description } : { error });
    if (p.grant_type !== 'password' && p.grant_type !== 'refresh_token') return bad('unsupported_grant_type');
    const m = CLIENT_ID.exec(p.client_id ?? '');
    const client = this.clients.find((c) => c.clientId.toLowerCase() === (p.client_id ?? '').toLowerCase());
    if (!m || !client || m[1] !== this.tenant || client.clientSecret !== p.client_secret) return bad('invalid_client');
    if (p.grant_type === 'password') {
      const scopes = (p.scope ?? '').split(' ').filter(Boolean);
      if (
        !scopes.includes('api') ||
        scopes.some(
          (s) => !['api', 'offline_access', 'api:concurrent_access', 'openid', 'profile', 'email', 'phone'].includes(s),
        )
      ) {
        return bad('invalid_scope');
      }
      const user = this.users.find((u) => u.username === p.username && u.password === p.password);
      if (!user) return bad('invalid_grant', 'invalid_username_or_password');
      if (this.atLoginLimit()) return this.loginLimit(ctx);
      const session: Session = {
        id: randomUUID(),
        kind: 'oauth',
        username: user.username,
        clientId: client.clientId,
        expiresAt: 0,
      };
      this.sessions.set(session.id, session);
      const grant: Grant = {
        sessionId: session.id,
        username: user.username,
        clientId: client.clientId,
        scope: scopes.join(' '),
        chainStart: this.now(),
      };
      return this.issue(ctx, grant, scopes.includes('offline_access'));
    }
    const grant = this.refreshTokens.get(p.refresh_token ?? '');
    if (!grant || grant.clientId !== client.clientId || grant.chainStart + REFRESH_CHAIN_MS <= this.now())
      return bad('invalid_grant');
    this.refreshTokens.delete(p.refresh_token);
    this.stats.refreshes++;
    let session = this.liveSessions().find((s) => s.id === grant.sessionId);
    if (!session) {
      if (this.atLoginLimit()) return this.loginLimit(ctx);
      session = {
        id: grant.sessionId,
        kind: 'oauth',
        username: grant.username,
        clientId: grant.clientId,
        expiresAt: 0,
      };
      this.sessions.set(session.id, session);
    }
    this.issue(ctx, grant, true);
  }

  private issue(ctx: Ctx, grant: Grant, withRefresh: boolean): void {
    const access = tokenString();
    const expiresAt = this.now() + TOKEN_TTL_MS;
    this.accessTokens.set(access, { sessionId: grant.sessionId, clientId: grant.clientId, expiresAt });
    const session = required(this.sessions.get(grant.sessionId), 'the granted session');
    session.expiresAt = Math.max(session.expiresAt, expiresAt);
    const body: Record<string, unknown> = { access_token: access, expires_in: 3600, token_type: 'Bearer' };
    if (withRefresh) {
      const refresh = tokenString();
      this.refreshTokens.set(refresh, grant);
      body.refresh_token = refresh;
    }
    body.scope = grant.scope;
    this.stats.tokensIssued++;
    send(ctx, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  login(ctx: Ctx): void {
    let p: Record<string, unknown>;
    try {
      const ct = ctx.req.headers['content-type'] ?? '';
      const parsed = ct.includes('x-www-form-urlencoded') ? form(ctx.rawBody) : parseJson(ctx.rawBody || '{}');
      p = isObject(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return send(ctx, 400, { message: 'The request is invalid.' });
    }
    const tenant = (p.tenant ?? p.company) as string | undefined;
    if (p.tenant !== undefined && p.company !== undefined)
      return send(ctx, 400, { message: 'The request is invalid.' });
    if (tenant !== undefined && tenant !== '' && tenant !== this.tenant) {
      return sendError(
        ctx,
        500,
        'A proper company ID cannot be determined for the request.',
        'PX.Data.PXUndefinedCompanyException',
      );
    }
    const user = this.users.find((u) => u.username === p.name && u.password === p.password);
    if (!user) return sendError(ctx, 500, 'Error: Invalid credentials. Please try again.');
    if (this.atLoginLimit()) return this.loginLimit(ctx);
    this.stats.logins++;
    const session: Session = {
      id: randomBytes(24).toString('hex').toUpperCase(),
      kind: 'cookie',
      username: user.username,
      expiresAt: this.now() + COOKIE_IDLE_MS,
    };
    this.sessions.set(session.id, session);
    const branch = typeof p.branch === 'string' ? p.branch : 'HEADOFFICE';
    send(ctx, 204, undefined, {
      'Set-Cookie': [
        `ASP.NET_SessionId=${randomBytes(12).toString('hex')}; path=/; HttpOnly; SameSite=Lax`,
        `.ASPXAUTH=${session.id}; path=/; HttpOnly`,
        `UserBranch=${encodeURIComponent(branch)}; path=/`,
        `Locale=Culture=en-US&TimeZone=GMTM0800A; path=/`,
        `requestid=${randomUUID().replace(/-/g, '').toUpperCase()}; path=/`,
      ],
    });
  }

  /**
   * An administrator resets a user's password (Users, SM201010). The sandbox also ends everything signed
   * in as that user: cookie sessions, OAuth sessions, access and refresh tokens (UNCONFIRMED that
   * Acumatica revokes live grants on a reset; `endSessions: false` keeps them). False for an unknown user.
   */
  resetPassword(username: string, newPassword: string, endSessions = true): boolean {
    const user = this.users.find((u) => u.username === username);
    if (!user) return false;
    user.password = newPassword;
    if (endSessions)
      this.endWhere(
        (session) => session.username === username,
        (grant) => grant.username === username,
      );
    return true;
  }

  /**
   * An administrator removes a connected application's grants (Connected Applications, SM303010): its
   * access and refresh tokens stop working at once, and with `remove` (default) the client itself is
   * gone, so the token endpoint answers invalid_client. False for an unknown client.
   */
  revokeClient(clientId: string, remove = true): boolean {
    const index = this.clients.findIndex((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
    if (index < 0) return false;
    const id = this.clients[index].clientId;
    if (remove) this.clients.splice(index, 1);
    this.endWhere(
      (session) => session.clientId === id,
      (grant) => grant.clientId === id,
    );
    for (const [token, entry] of this.accessTokens) if (entry.clientId === id) this.accessTokens.delete(token);
    return true;
  }

  private endWhere(session: (s: Session) => boolean, grant: (g: Grant) => boolean): void {
    const ended = new Set<string>();
    for (const [id, s] of this.sessions) {
      if (!session(s)) continue;
      this.sessions.delete(id);
      ended.add(id);
    }
    for (const [token, entry] of this.accessTokens) if (ended.has(entry.sessionId)) this.accessTokens.delete(token);
    for (const [token, g] of this.refreshTokens)
      if (grant(g) || ended.has(g.sessionId)) this.refreshTokens.delete(token);
  }

  logout(ctx: Ctx): void {
    if (ctx.req.headers['content-length'] === undefined && ctx.req.headers['transfer-encoding'] === undefined) {
      return send(ctx, 411, 'Length Required');
    }
    this.stats.logouts++;
    if (ctx.sessionId) {
      this.sessions.delete(ctx.sessionId);
      for (const [t, v] of this.accessTokens) if (v.sessionId === ctx.sessionId) this.accessTokens.delete(t);
    }
    send(ctx, 204, undefined, { 'Set-Cookie': ['.ASPXAUTH=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'] });
  }
}
