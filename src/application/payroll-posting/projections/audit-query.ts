import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../ports/event-store.port';

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

export interface AuditQuery {
  connectionId?: string;
  type?: string;
  /** ISO 8601, inclusive bounds on `time`. */
  from?: string;
  to?: string;
  /** Position of the last event of the previous page. */
  after?: string;
  limit?: number;
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

/** Streams that belong to a connection by name (see TEAM-NOTES "Stream names"). */
const ownedBy = (stream: string, connectionId: string): boolean =>
  stream === `connection-${connectionId}` ||
  stream.startsWith(`payroll-posting-${connectionId}-`) ||
  stream.startsWith(`employee-mirror-${connectionId}-`);

const mentions = (e: RecordedEvent, connectionId: string): boolean => {
  const data = e.data as { connectionId?: unknown } | null;
  return (typeof data === 'object' && data !== null && data.connectionId === connectionId) || e.metadata.connectionId === connectionId;
};

const CHUNK = 500;

/**
 * The event history across every stream, straight from the log (no read model can be more complete),
 * paged by global position. Filters apply while scanning, so a page is full unless the log ended.
 */
@Injectable()
export class AuditEvents {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(query: AuditQuery): Promise<{ items: AuditEvent[]; next: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const from = query.from ? Date.parse(query.from) : undefined;
    const to = query.to ? Date.parse(query.to) : undefined;
    const items: AuditEvent[] = [];
    let cursor = query.after !== undefined && /^\d+$/.test(query.after) ? BigInt(query.after) : undefined;
    for (;;) {
      const chunk = await this.store.readAll(cursor, { maxCount: CHUNK, ...(query.type ? { filter: { eventTypes: [query.type] } } : {}) });
      for (const e of chunk) {
        cursor = e.position;
        if (query.connectionId && !ownedBy(e.stream, query.connectionId) && !mentions(e, query.connectionId)) continue;
        const view = toAuditEvent(e);
        const time = Date.parse(view.time);
        if (from !== undefined && time < from) continue;
        if (to !== undefined && time > to) continue;
        items.push(view);
        if (items.length === limit) return { items, next: String(e.position) };
      }
      if (chunk.length < CHUNK) return { items, next: null };
    }
  }

  async ofStream(stream: string): Promise<AuditEvent[]> {
    return (await this.store.readStream(stream)).map(toAuditEvent);
  }
}
