import { IsInt, IsOptional, IsString, Matches, MaxLength, validateSync } from 'class-validator';
import type { GustoWebhookEvent } from './inbox-events';
import { describeGuardFailure, guardedJsonText } from './json-guard';

/** Gusto's ids are UUIDs (gusto.md §3.3); anything else is refused before it can become part of a stream name. */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** `<entity>.<action>`, dotted snake case (gusto.md §3.4, e.g. `employee.bank_account.created`). */
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}$/;
const VERIFICATION_TOKEN = /^[\x21-\x7e]{8,200}$/;
/** Gusto stamps an event when it creates it and retries for days at most: outside this window it is not Gusto's. */
export const TIMESTAMP_WINDOW_MS = 30 * 86_400_000;

/** Decorators applied as if stacked above a property in this order (TypeScript applies a stack bottom-up). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}
/** A Gusto id: a UUID or refused. */
const GustoUuid = (field: string): PropertyDecorator => Matches(UUID, { message: `${field} must be a UUID` });
/** A name Gusto sends: a string of at most 100 characters. */
const ShortName = (field: string, ...more: PropertyDecorator[]): PropertyDecorator =>
  stacked(
    IsString({ message: `${field} must be a string` }),
    MaxLength(100, { message: `${field} must be at most 100 characters` }),
    ...more,
  );

/** The event body's schema: the four names Gusto always sends, typed; unknown extra fields are fine. */
class GustoEventSchema {
  @GustoUuid('uuid')
  uuid!: string;

  @ShortName('event_type', Matches(EVENT_TYPE, { message: 'event_type must look like <entity>.<action>' }))
  event_type!: string;

  @IsOptional()
  @ShortName('resource_type')
  resource_type?: string;

  @GustoUuid('resource_uuid')
  resource_uuid!: string;

  @IsOptional()
  @ShortName('entity_type')
  entity_type?: string;

  @GustoUuid('entity_uuid')
  entity_uuid!: string;

  @IsOptional()
  @IsInt({ message: 'timestamp must be an integer (epoch seconds)' })
  timestamp?: number;
}

export type ParsedWebhookBody =
  | { kind: 'event'; event: GustoWebhookEvent }
  | { kind: 'verification'; verificationToken: string }
  | { kind: 'malformed'; reason: string; field?: string };

type Json = { ok: true; value: unknown } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every body, signed or not, goes through here first: strict UTF-8, bounded depth (json-guard), then JSON.
 * The size bound (1 MiB) is the HTTP layer's, before the bytes reach the application.
 */
export function readJson(rawBody: Buffer): Json {
  if (rawBody.length === 0) return { ok: false, reason: 'body is empty' };
  const text = guardedJsonText(rawBody);
  if (!text.ok) return { ok: false, reason: describeGuardFailure(text) };
  try {
    return { ok: true, value: JSON.parse(text.text) as unknown };
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
}

/** Gusto's subscription handshake (gusto.md §3.1): `{"verification_token": "<token>"}` and nothing that looks like an event. */
export function verificationTokenOfJson(parsed: unknown): string | null {
  if (!isObject(parsed) || 'uuid' in parsed || 'event_type' in parsed) return null;
  const token = parsed.verification_token;
  return typeof token === 'string' && VERIFICATION_TOKEN.test(token) ? token : null;
}

/**
 * Parses a body whose signature has already been checked (or a handshake): 'malformed' names the first
 * field that is wrong, so Gusto's support (or an attacker's logs) learns nothing more than the schema.
 */
export function parseWebhookBody(rawBody: Buffer, now: Date): ParsedWebhookBody {
  const json = readJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: json.reason };
  return parseWebhookJson(json.value, now);
}

export function parseWebhookJson(parsed: unknown, now: Date): ParsedWebhookBody {
  if (!isObject(parsed)) return { kind: 'malformed', reason: 'body is not a JSON object' };
  const token = verificationTokenOfJson(parsed);
  if (token !== null) return { kind: 'verification', verificationToken: token };
  const schema = Object.assign(new GustoEventSchema(), pick(parsed));
  const [first] = validateSync(schema, { stopAtFirstError: true });
  if (first) {
    const missing = parsed[first.property] === undefined || parsed[first.property] === null;
    const message = missing
      ? `${first.property} is missing`
      : (Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`);
    return { kind: 'malformed', reason: message, field: first.property };
  }
  if (schema.timestamp !== undefined && Math.abs(schema.timestamp * 1000 - now.getTime()) > TIMESTAMP_WINDOW_MS) {
    return { kind: 'malformed', reason: 'timestamp is more than 30 days away from now', field: 'timestamp' };
  }
  const event: GustoWebhookEvent = {
    ...(parsed as object),
    uuid: schema.uuid.toLowerCase(),
    event_type: schema.event_type,
    resource_uuid: schema.resource_uuid.toLowerCase(),
    entity_uuid: schema.entity_uuid.toLowerCase(),
  };
  return { kind: 'event', event };
}

/** Only the schema's own fields reach the validator (extra fields stay in the stored body, untouched). */
function pick(parsed: Record<string, unknown>): Partial<GustoEventSchema> {
  const { uuid, event_type, resource_type, resource_uuid, entity_type, entity_uuid, timestamp } = parsed;
  return {
    uuid,
    event_type,
    resource_type,
    resource_uuid,
    entity_type,
    entity_uuid,
    timestamp,
  } as Partial<GustoEventSchema>;
}
