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

export const toAuditEvent = (e: RecordedEvent): AuditEvent => ({
  id: e.id,
  stream: e.stream,
  type: e.type,
  time: typeof e.metadata.at === 'string' ? e.metadata.at : e.recordedAt,
  recordedAt: e.recordedAt,
  revision: String(e.revision),
  position: String(e.position),
  data: e.data,
  metadata: e.metadata,
});
