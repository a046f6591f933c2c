import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiHeader, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../config/app-config';
import { ConsoleSessions, type PrincipalView } from '../../../../application/console/console-sessions';
import { LOGGER, type JsonLogger } from '../../../logging/json-logger';
import { ApiError } from '../api-error';
import {
  clearSessionCookie,
  csrfMatches,
  SESSION_COOKIE,
  sessionCookieOf,
  setSessionCookie,
} from '../auth/session-cookie';
import { SignInThrottle } from '../auth/sign-in-throttle';

export class SignInDto {
  @ApiProperty({
    description:
      'An API key (`mlc_<id>_…`) or $MLC_ADMIN_TOKEN. Sent once; the browser then holds only the session cookie.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  key!: string;
}

export interface SessionAnswer {
  principal: PrincipalView;
  csrfToken: string;
}

const SESSION_DESCRIPTION =
  '`{ principal: { kind: "key" | "admin-token", keyId?, name, role, connections: string[] | "*" }, csrfToken }`. ' +
  'Send `csrfToken` as `X-CSRF-Token` on every request other than GET/HEAD made with the cookie.';

/**
 * The console's sign-in (issue 16): an API key (or the admin token) in, an httpOnly `SameSite=Strict`
 * session cookie out. The cookie then authenticates every /api route instead of `Authorization: Bearer`.
 */
@ApiTags('console')
@Controller('api/session')
export class SessionController {
  constructor(
    @Inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: `Sign in: sets the ${SESSION_COOKIE} cookie (httpOnly, SameSite=Strict, Path=/, Secure in production, 8 h)`,
  })
  @ApiBody({ type: SignInDto })
  @ApiResponse({ status: 200, description: SESSION_DESCRIPTION })
  @ApiResponse({
    status: 401,
    description:
      'neither an active API key nor the admin token (counted with wrong bearer tokens: 429 past 10 a minute)',
  })
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionAnswer> {
    this.throttle.check(req, res);
    const session = await this.sessions.signIn(body.key);
    if (!session) {
      this.throttle.recordFailure(req);
      throw new ApiError(401, 'unauthorized', 'not an active API key or the admin token');
    }
    setSessionCookie(res, session.cookie, session.expiresAt, this.config.production);
    this.logger.write(
      'info',
      'console session started',
      { principal: session.principal.id, session: session.sessionId, expiresAt: session.expiresAt.toISOString() },
      'Console',
    );
    return { principal: session.view, csrfToken: session.csrfToken };
  }

  @Get()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary:
      'Who the session cookie stands for (re-checked now), with its CSRF token; 401 when there is no live session',
  })
  @ApiResponse({ status: 200, description: SESSION_DESCRIPTION })
  async current(@Req() req: Request): Promise<SessionAnswer> {
    const cookie = sessionCookieOf(req);
    const session = cookie === undefined ? undefined : await this.sessions.resolve(cookie);
    if (!session) throw new ApiError(401, 'unauthorized', 'no console session: sign in with POST /api/session');
    return { principal: session.view, csrfToken: session.csrfToken };
  }

  @Delete()
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiHeader({ name: 'X-CSRF-Token', required: true, description: "the session's CSRF token" })
  @ApiOperation({
    summary:
      'Sign out: the session ends on every instance and the cookie is cleared (204, also when there was no live session)',
  })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const cookie = sessionCookieOf(req);
    const session = cookie === undefined ? undefined : await this.sessions.resolve(cookie);
    if (cookie !== undefined && session) {
      if (!csrfMatches(req, session.csrfToken)) {
        throw new ApiError(
          403,
          'csrf_failed',
          "signing out with the session cookie needs the header X-CSRF-Token with the session's token",
        );
      }
      await this.sessions.signOut(cookie, session.principal.id);
      this.logger.write(
        'info',
        'console session ended',
        { principal: session.principal.id, session: session.sessionId },
        'Console',
      );
    }
    clearSessionCookie(res, this.config.production);
  }
}
