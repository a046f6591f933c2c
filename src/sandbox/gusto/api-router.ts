/**
 * /v1 dispatch: bearer authentication (401), per-grant rate limit (429 + Retry-After), strict company
 * access (403 for another company, 404 for an unknown one), read-only data endpoints and the
 * system-token endpoints. Writes to company data answer 404 missing_permissions (and are flagged).
 */
import type { TokenRow } from './model';
import {
  employeeRoutes,
  listDepartments,
  listEmployees,
  listPayrolls,
  showCompany,
  showPayroll,
  tokenInfo,
} from './data-routes';
import { notFound, sendError, send, type Ctx } from './http-support';
import { authenticate } from './oauth';
import type { Scenario } from './scenario';
import { healthCheck, listEvents, subscriptionRoutes } from './system-routes';
import type { WebhookDispatcher } from './webhooks';

/** Paths under /v1 that the connector may legitimately write to (webhook registration). */
export const isDataPath = (path: string): boolean =>
  path.startsWith('/v1/') && !path.startsWith('/v1/webhook_subscriptions');

const rateLimited = (ctx: Ctx, row: TokenRow): boolean => {
  const { world } = ctx;
  const { requests, windowMs } = world.config.rateLimit;
  const now = world.clock.now().getTime();
  let window = world.rateWindows.get(row.grantId);
  if (!window || now - window.startMs >= windowMs) {
    window = { startMs: now, count: 0 };
    world.rateWindows.set(row.grantId, window);
  }
  window.count++;
  const resetMs = window.startMs + windowMs;
  ctx.headers['X-RateLimit-Limit'] = String(requests);
  ctx.headers['X-RateLimit-Remaining'] = String(Math.max(0, requests - window.count));
  ctx.headers['X-RateLimit-Reset'] = String(Math.ceil(resetMs / 1000));
  if (window.count <= requests) return false;
  world.stats.rateLimited++;
  send(
    ctx,
    429,
    { errors: [{ error_key: 'base', category: 'rate_limit_exceeded', message: 'Too many requests' }] },
    { 'Retry-After': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) },
  );
  return true;
};

export const routeApi = (ctx: Ctx, version: string, scenario: Scenario, webhooks: WebhookDispatcher): void => {
  const auth = authenticate(ctx);
  if (!auth.ok) {
    return send(
      ctx,
      401,
      { errors: [{ error_key: 'base', category: 'invalid_token', message: auth.message }] },
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  }
  const row = auth.row;
  ctx.record.company = row.companyUuid;
  if (rateLimited(ctx, row)) return;
  const parts = ctx.path
    .split('/')
    .filter((p) => p !== '')
    .slice(1); // drop "v1"
  const [head, id, sub, subId, ...rest] = parts;
  if (head === 'token_info' && parts.length === 1 && ctx.method === 'GET') return tokenInfo(ctx, row);

  const systemOnly = head === 'webhook_subscriptions' || head === 'events' || head === 'webhooks';
  if (systemOnly !== (row.kind === 'system')) {
    return sendError(
      ctx,
      403,
      'missing_oauth_scopes',
      `This endpoint needs a ${systemOnly ? 'system' : 'company'} access token`,
      'base',
      { missing_scope_name: systemOnly ? 'webhook_subscriptions:read' : 'companies:read' },
    );
  }
  if (head === 'webhook_subscriptions') return subscriptionRoutes(ctx, parts.slice(1), scenario, webhooks);
  if (head === 'events' && parts.length === 1 && ctx.method === 'GET') return listEvents(ctx);
  if (head === 'webhooks' && id === 'health_check' && ctx.method === 'GET') return healthCheck(ctx);

  if (ctx.method !== 'GET') {
    return sendError(
      ctx,
      404,
      'missing_permissions',
      'This application is not permitted to write this resource',
      'request',
    );
  }
  const companyUuid = row.companyUuid ?? '';
  if (head === 'companies' && id !== undefined) {
    if (id !== companyUuid) {
      if (!ctx.world.companies.has(id)) return notFound(ctx, 'Company');
      return sendError(ctx, 403, 'invalid_operation', 'The access token is not valid for this company', 'base', {
        entity_type: 'Company',
        entity_uuid: id,
      });
    }
    if (sub === undefined) return showCompany(ctx, id);
    if (sub === 'payrolls' && subId === undefined) return listPayrolls(ctx, id, version);
    if (sub === 'payrolls' && subId !== undefined && rest.length === 0) return showPayroll(ctx, id, subId, version);
    if (sub === 'employees' && subId === undefined) return listEmployees(ctx, id);
    if (sub === 'departments' && subId === undefined) return listDepartments(ctx, id);
    return notFound(ctx);
  }
  if (head === 'employees' && id !== undefined && subId === undefined) return employeeRoutes(ctx, companyUuid, id, sub);
  return notFound(ctx);
};
