import type { GustoWebhookEvent } from './inbox-events';

/** A Gusto event uuid becomes part of a stream name: allow what Gusto sends (uuids), nothing that could smuggle a separator. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const VERIFICATION_TOKEN = /^[\x21-\x7e]{8,200}$/;

export type ParsedWebhookBody =
  | { kind: 'event'; event: GustoWebhookEvent }
  | { kind: 'verification'; verificationToken: string }
  | { kind: 'malformed'; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Gusto's subscription handshake (gusto.md §3.1): `{"verification_token": "<token>"}` and nothing that looks like an event. */
export function verificationTokenOf(rawBody: Buffer): string | null {
  const parsed = parseJson(rawBody);
  if (!isObject(parsed) || 'uuid' in parsed || 'event_type' in parsed) return null;
  const token = parsed.verification_token;
  return typeof token === 'string' && VERIFICATION_TOKEN.test(token) ? token : null;
}

/** Parses a body whose signature has already been checked. */
export function parseWebhookBody(rawBody: Buffer): ParsedWebhookBody {
  const parsed = parseJson(rawBody);
  if (parsed === undefined) return { kind: 'malformed', reason: 'body is not JSON' };
  if (!isObject(parsed)) return { kind: 'malformed', reason: 'body is not a JSON object' };
  const token = verificationTokenOf(rawBody);
  if (token !== null) return { kind: 'verification', verificationToken: token };
  const missing = ['uuid', 'event_type', 'entity_uuid', 'resource_uuid'].filter((field) => !nonEmptyString(parsed[field]));
  if (missing.length > 0) return { kind: 'malformed', reason: `missing or empty: ${missing.join(', ')}` };
  if (!SAFE_ID.test(parsed.uuid as string)) return { kind: 'malformed', reason: 'uuid has unexpected characters' };
  if (parsed.timestamp !== undefined && (typeof parsed.timestamp !== 'number' || !Number.isFinite(parsed.timestamp))) {
    return { kind: 'malformed', reason: 'timestamp is not a number' };
  }
  const event: GustoWebhookEvent = {
    ...(parsed as object),
    uuid: parsed.uuid as string,
    event_type: (parsed.event_type as string).trim(),
    resource_uuid: (parsed.resource_uuid as string).trim(),
    entity_uuid: (parsed.entity_uuid as string).trim(),
  };
  return { kind: 'event', event };
}

function parseJson(rawBody: Buffer): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
