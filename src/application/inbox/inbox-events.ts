import { createHash } from 'node:crypto';

/**
 * The inbox: one stream per Gusto event, `gusto-webhook-<event uuid>`. The first event of a stream is
 * always `GustoWebhookReceived`; the dispatcher appends what it did with it (dispatched, ignored, …),
 * so the stream is the event's whole story for an auditor.
 */
export const INBOX_STREAM_PREFIX = 'gusto-webhook-';
export const inboxStream = (eventUuid: string): string => `${INBOX_STREAM_PREFIX}${eventUuid}`;

/** Stored outside the inbox prefix on purpose, so the dispatcher never sees it. */
export const WEBHOOK_KEY_STREAM = 'webhook-verification-gusto';
export const DISPATCHER_CHECKPOINT_STREAM = 'checkpoint-inbox-dispatcher';
export const pollWatermarkStream = (connectionId: string): string => `poll-watermark-${connectionId}`;

/** Gusto's event body (gusto.md §3.3): it only names the entity; the connector re-reads it. */
export interface GustoWebhookEvent {
  uuid: string;
  event_type: string;
  resource_type?: string;
  /** The company uuid: webhooks are application-wide, so this is how a connection is found. */
  resource_uuid: string;
  entity_type?: string;
  entity_uuid: string;
  /** Epoch seconds when Gusto created the event. */
  timestamp?: number;
}

export type InboxEventType =
  | 'GustoWebhookReceived'
  | 'InboxEventDispatched'
  | 'InboxEventIgnored'
  | 'InboxEventUnroutable'
  | 'InboxEventDispatchFailed';

export interface GustoWebhookReceived {
  eventUuid: string;
  eventType: string;
  companyUuid: string;
  entityType?: string;
  entityUuid: string;
  /** Gusto's creation time (ISO 8601), when it sent one. */
  occurredAt?: string;
  receivedAt: string;
  /** The signed body as received (parsed), kept for the audit trail. */
  body: GustoWebhookEvent;
}

export interface InboxEventDispatched {
  connectionId: string;
  command: string;
  at: string;
  /** True when the command handler was still running when the dispatcher stopped waiting. */
  stillRunning?: boolean;
}

export interface InboxEventIgnored {
  reason: 'event_type_not_acted_on';
  at: string;
}

export interface InboxEventUnroutable {
  reason: 'unknown_company';
  companyUuid: string;
  message: string;
  at: string;
}

export interface InboxEventDispatchFailed {
  connectionId?: string;
  command?: string;
  error: string;
  attempts: number;
  at: string;
}

/** Any of these after `GustoWebhookReceived` means the event has been handled: never dispatch it again. */
export const SETTLED_TYPES: ReadonlySet<string> = new Set<InboxEventType>([
  'InboxEventDispatched',
  'InboxEventIgnored',
  'InboxEventUnroutable',
  'InboxEventDispatchFailed',
]);

/**
 * A name-based UUID (RFC 4122 version 5 layout over SHA-1), so a retried append carries the same event
 * id and the store keeps it once. KurrentDB requires UUID event ids, hence not the raw Gusto uuid.
 */
export function deterministicEventId(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(`ml-connector:${parts.join(':')}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
