/** System-token endpoints: webhook subscriptions + verification (reference §3.1), events (§3.5), health check. */
import type { Scenario } from './scenario';
import { renderSubscription } from './scenario-views';
import { notFound, parseBody, send, sendError, type Ctx } from './http-support';
import type { WebhookDispatcher } from './webhooks';

const TYPES = new Set([
  'BankAccount',
  'Company',
  'CompanyBenefit',
  'Contractor',
  'ContractorPayment',
  'Employee',
  'EmployeeBenefit',
  'EmployeeJobCompensation',
  'ExternalPayroll',
  'Form',
  'Location',
  'Notification',
  'Payroll',
  'PayrollSync',
  'PaySchedule',
  'Signatory',
]);

const validTypes = (value: unknown): string[] | null =>
  Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string' && TYPES.has(t))
    ? (value as string[])
    : null;

export const subscriptionRoutes = (
  ctx: Ctx,
  parts: string[],
  scenario: Scenario,
  webhooks: WebhookDispatcher,
): void => {
  const { world, method } = ctx;
  const [uuid, action] = parts;
  if (uuid === undefined) {
    if (method === 'GET')
      return send(
        ctx,
        200,
        [...world.subscriptions.values()].filter((s) => s.status !== 'removed').map(renderSubscription),
      );
    if (method !== 'POST') return notFound(ctx);
    const body = parseBody(ctx);
    const types = validTypes(body?.subscription_types);
    if (!body || typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
      return sendError(ctx, 422, 'invalid_attribute_value', 'url is required', 'url');
    if (!types)
      return sendError(ctx, 422, 'invalid_attribute_value', 'subscription_types is invalid', 'subscription_types');
    const sub = scenario.registerSubscription(body.url, types);
    webhooks.sendVerification(sub);
    return send(ctx, 201, renderSubscription(sub));
  }
  const sub = world.subscriptions.get(uuid);
  if (!sub || sub.status === 'removed') return notFound(ctx, 'Webhook subscription');
  if (action === undefined) {
    if (method === 'GET') return send(ctx, 200, renderSubscription(sub));
    if (method === 'DELETE') {
      sub.status = 'removed';
      return send(ctx, 204, undefined);
    }
    if (method === 'PUT') {
      const types = validTypes(parseBody(ctx)?.subscription_types);
      if (!types)
        return sendError(ctx, 422, 'invalid_attribute_value', 'subscription_types is invalid', 'subscription_types');
      sub.subscriptionTypes = types;
      return send(ctx, 200, renderSubscription(sub));
    }
  }
  if (action === 'verify' && method === 'PUT') {
    if (parseBody(ctx)?.verification_token !== sub.verificationToken) {
      return sendError(ctx, 422, 'invalid_attribute_value', 'verification_token does not match', 'verification_token');
    }
    sub.status = 'verified';
    return send(ctx, 200, renderSubscription(sub));
  }
  if (action === 'request_verification_token' && method === 'GET') {
    webhooks.sendVerification(sub);
    return send(ctx, 204, undefined);
  }
  return notFound(ctx);
};

const typeMatches = (pattern: string, type: string): boolean => {
  if (!pattern.includes('*')) return pattern === type;
  const [entity, action] = pattern.split('.');
  const [e, a] = type.split('.');
  return (entity === '*' || entity === e) && (action === '*' || action === a);
};

/** GET /v1/events: the last 30 days, cursor-paged with starting_after_uuid + X-Has-Next-Page. */
export const listEvents = (ctx: Ctx): void => {
  const { world, query } = ctx;
  const limitRaw = Number(query.get('limit') ?? '25');
  if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > 100)
    return sendError(ctx, 422, 'invalid_parameter', 'limit must be 1–100', 'limit');
  const since = world.clock.epochSeconds() - 30 * 86_400;
  let events = world.events.filter((e) => e.timestamp >= since);
  const resource = query.get('resource_uuid');
  if (resource) events = events.filter((e) => e.resource_uuid === resource);
  const type = query.get('event_type');
  if (type) events = events.filter((e) => typeMatches(type, e.event_type));
  if (query.get('sort_order') === 'desc') events = [...events].reverse();
  const after = query.get('starting_after_uuid');
  if (after) {
    const index = events.findIndex((e) => e.uuid === after);
    events = index === -1 ? [] : events.slice(index + 1);
  }
  ctx.headers['X-Has-Next-Page'] = String(events.length > limitRaw);
  send(ctx, 200, events.slice(0, limitRaw));
};

export const healthCheck = (ctx: Ctx): void => {
  const recent = ctx.world.deliveries.slice(-20);
  const status =
    recent.length === 0
      ? 'unknown'
      : recent.some((d) => typeof d.status === 'number' && d.status < 300)
        ? 'healthy'
        : 'unhealthy';
  send(ctx, 200, { status, last_checked_at: ctx.world.nowIso() });
};
