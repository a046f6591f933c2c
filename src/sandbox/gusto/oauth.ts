/**
 * OAuth 2 authorization-code flow (reference §2): auto-approving /oauth/authorize, /oauth/token with
 * authorization_code | refresh_token | system_access, and bearer-token authentication for /v1.
 * Rotation: each refresh issues a new pair; the previous pair stays valid until the new access token is
 * first used (or the new refresh token is itself presented), then it is revoked. Reuse → invalid_grant.
 */
import { createHash } from 'node:crypto';
import type { TokenRow } from './model';
import { parseBody, send, type Ctx } from './http-support';
import type { WebhookDispatcher } from './webhooks';
import type { World } from './world';

export const SCOPES =
  'companies:read employees:read compensations:read employments:read departments:read payrolls:read employee_benefits:read company_benefits:read garnishments:read';
export const SYSTEM_SCOPES = 'webhook_subscriptions:read webhook_subscriptions:write events:read';
const ACCESS_TTL_S = 7200;
const CODE_TTL_MS = 10 * 60_000;

export const handleAuthorize = (ctx: Ctx): void => {
  const { world, query } = ctx;
  const redirectUri = query.get('redirect_uri');
  if (query.get('client_id') !== world.config.clientId)
    return send(ctx, 400, { error: 'invalid_client', error_description: 'Unknown client_id' });
  if (!redirectUri || !/^https?:\/\//.test(redirectUri))
    return send(ctx, 400, { error: 'invalid_request', error_description: 'redirect_uri is missing or invalid' });
  const target = new URL(redirectUri);
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  const deny = (error: string, description: string): void => {
    target.searchParams.set('error', error);
    target.searchParams.set('error_description', description);
    send(ctx, 302, undefined, { location: target.toString() });
  };
  if (query.get('response_type') !== 'code') return deny('unsupported_response_type', 'response_type must be code');
  if (world.knobs.denyAuthorization) return deny('access_denied', 'The resource owner denied the request.');
  const chosen = query.get('company_uuid') ?? world.nextAuthorizeCompany ?? world.latestCompany()?.uuid ?? null;
  world.nextAuthorizeCompany = null;
  if (chosen === null || !world.companies.has(chosen)) return deny('access_denied', 'No company to authorize');
  // PKCE (RFC 7636): only S256 is accepted; the challenge is kept with the code and proven at the exchange.
  const codeChallenge = query.get('code_challenge') ?? undefined;
  if (
    codeChallenge !== undefined &&
    (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
  ) {
    return deny('invalid_request', 'code_challenge must be a base64url SHA-256 with code_challenge_method=S256');
  }
  const code = world.rng.token(43);
  world.codes.set(code, {
    code,
    companyUuid: chosen,
    redirectUri,
    expiresAtMs: world.clock.now().getTime() + CODE_TTL_MS,
    used: false,
    ...(codeChallenge ? { codeChallenge } : {}),
  });
  target.searchParams.set('code', code);
  send(ctx, 302, undefined, { location: target.toString() });
};

const tokenResponse = (world: World, row: TokenRow): Record<string, unknown> => ({
  access_token: row.accessToken,
  token_type: 'bearer',
  expires_in: ACCESS_TTL_S,
  refresh_token: row.refreshToken,
  created_at: Math.floor(row.createdAtMs / 1000),
  scope: row.kind === 'system' ? SYSTEM_SCOPES : SCOPES,
});

const issue = (
  world: World,
  kind: TokenRow['kind'],
  companyUuid: string | null,
  grantId: number,
  parentRowId: number | null,
): TokenRow => {
  const now = world.clock.now().getTime();
  const row: TokenRow = {
    id: world.tokens.length + 1,
    grantId,
    kind,
    companyUuid,
    accessToken: world.rng.token(43),
    refreshToken: kind === 'system' ? null : world.rng.token(43),
    createdAtMs: now,
    expiresAtMs: now + ACCESS_TTL_S * 1000,
    revoked: false,
    used: false,
    parentRowId,
  };
  world.tokens.push(row);
  return row;
};

/** First use of a row revokes the pair it was refreshed from. */
const markUsed = (world: World, row: TokenRow): void => {
  if (row.used) return;
  row.used = true;
  if (row.parentRowId !== null) {
    const parent = world.tokens[row.parentRowId - 1];
    if (parent) parent.revoked = true;
  }
};

export const handleToken = (ctx: Ctx, webhooks: WebhookDispatcher): void => {
  const { world } = ctx;
  if (ctx.query.has('client_secret'))
    return send(ctx, 400, { error: 'invalid_request', error_description: 'client_secret must not be sent in the URL' });
  const body = parseBody(ctx);
  if (body === null) return send(ctx, 400, { error: 'invalid_request', error_description: 'Malformed body' });
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const grantType = str('grant_type');
  if (grantType === 'refresh_token') world.stats.refreshCalls++;
  if (str('client_id') !== world.config.clientId || str('client_secret') !== world.config.clientSecret) {
    return send(ctx, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  }
  const invalidGrant = (status: number, description: string): void => {
    world.stats.invalidGrants++;
    send(ctx, status, { error: 'invalid_grant', error_description: description });
  };
  switch (grantType) {
    case 'authorization_code': {
      const code = world.codes.get(str('code') ?? '');
      if (!code || code.used || code.expiresAtMs <= world.clock.now().getTime())
        return invalidGrant(400, 'The authorization code is invalid, expired or used');
      if (code.redirectUri !== str('redirect_uri'))
        return invalidGrant(400, 'redirect_uri does not match the authorization request');
      // A code issued with a challenge needs its verifier; a verifier for a code issued without one is a
      // code injected into someone else's flow (OAuth 2.1): both invalid_grant.
      const verifier = str('code_verifier');
      if (code.codeChallenge !== undefined || verifier !== undefined) {
        const proven =
          verifier !== undefined &&
          code.codeChallenge !== undefined &&
          createHash('sha256').update(verifier).digest('base64url') === code.codeChallenge;
        if (!proven)
          return invalidGrant(
            400,
            'PKCE verification failed: code_verifier does not match the code_challenge of the authorization request',
          );
        world.stats.pkceVerified++;
      }
      code.used = true;
      world.stats.codeExchanges++;
      const row = issue(world, 'company', code.companyUuid, world.newGrantId(), null);
      ctx.record.company = code.companyUuid;
      webhooks.emit('company.provisioned', code.companyUuid, 'Company', code.companyUuid);
      return send(ctx, 200, tokenResponse(world, row));
    }
    case 'refresh_token': {
      const presented = str('refresh_token');
      const row = world.tokens.find((t) => t.refreshToken !== null && t.refreshToken === presented);
      if (!row || row.revoked)
        return invalidGrant(world.knobs.invalidGrantStatus, 'The refresh token is invalid or was revoked');
      markUsed(world, row);
      const next = issue(world, 'company', row.companyUuid, row.grantId, row.id);
      ctx.record.company = row.companyUuid;
      return send(ctx, 200, tokenResponse(world, next));
    }
    case 'system_access':
      return send(ctx, 200, tokenResponse(world, issue(world, 'system', null, world.newGrantId(), null)));
    default:
      return send(ctx, 400, {
        error: 'unsupported_grant_type',
        error_description: `grant_type ${grantType ?? '(missing)'} is not supported`,
      });
  }
};

export type AuthResult = { ok: true; row: TokenRow } | { ok: false; message: string };

/** Bearer token → its row; expired (sandbox clock), revoked or unknown → not ok (caller answers 401). */
export const authenticate = (ctx: Ctx): AuthResult => {
  const header = ctx.req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return { ok: false, message: 'Missing bearer token' };
  const row = ctx.world.tokens.find((t) => t.accessToken === m[1]);
  if (!row) return { ok: false, message: 'The access token is invalid' };
  if (row.revoked) return { ok: false, message: 'The access token was revoked' };
  if (row.expiresAtMs <= ctx.world.clock.now().getTime()) return { ok: false, message: 'The access token expired' };
  markUsed(ctx.world, row);
  return { ok: true, row };
};
