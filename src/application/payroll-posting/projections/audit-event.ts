import type { RecordedEvent } from '../../ports/event-store.port';

/** One event as the audit endpoints show it (positions as strings: JSON has no bigint). */
export interface AuditEvent {
  id: string;
  stream: string;
  type: string;
  /** When it happened (metadata.at), falling back to when the store recorded it. */
  time: string;
  recordedAt: string;
  revision: string;
  position: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** What a sealed secret becomes in any audit answer: its key id stays (key rotation is auditable), its bytes and length do not. */
export const REDACTED = '[sealed]';

/**
 * A copy of `value` without secret material: every sealed secret (`{ keyId, sealed }`, the vault's shape:
 * Acumatica passwords and client secrets, Gusto tokens, the PKCE verifier, the webhook key) has its
 * ciphertext replaced — its length would tell the secret's length — and an API key's `secretSha256` goes.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (
    typeof (value as { sealed?: unknown }).sealed === 'string' &&
    typeof (value as { keyId?: unknown }).keyId === 'string'
  ) {
    return { ...Object.fromEntries(entries.map(([k, v]) => [k, k === 'sealed' ? REDACTED : redactSecrets(v)])) };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, k === 'secretSha256' ? REDACTED : redactSecrets(v)]));
}

/** An audit answer's events, redacted (also those a read model stored before redaction existed). */
export const redactAuditEvents = (events: AuditEvent[]): AuditEvent[] =>
  events.map((e) => ({
    ...e,
    data: redactSecrets(e.data),
    metadata: redactSecrets(e.metadata) as Record<string, unknown>,
  }));

export const toAuditEvent = (e: RecordedEvent): AuditEvent => ({
  id: e.id,
  stream: e.stream,
  type: e.type,
  time: typeof e.metadata.at === 'string' ? e.metadata.at : e.recordedAt,
  recordedAt: e.recordedAt,
  revision: String(e.revision),
  position: String(e.position),
  data: redactSecrets(e.data),
  metadata: redactSecrets(e.metadata) as Record<string, unknown>,
});
