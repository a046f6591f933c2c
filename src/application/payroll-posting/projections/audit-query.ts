import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../ports/event-store.port';
import { PostingsProjection } from './postings-projection';
import { toAuditEvent, type AuditEvent } from './audit-event';

export { toAuditEvent, type AuditEvent };

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

const CHUNK = 500;

/**
 * The event history, paged by global position. One connection's history comes from the audit index (the
 * read model keeps (connection, position) for every event a connection owns or names: see
 * audit-owners.ts), so its cost does not grow with the other connections' history. Without a connection,
 * the whole log's audit index (position, type, time of every event) answers; only a read model stored by
 * an older version, until its background rebuild ends, pages the log itself (filters apply while
 * scanning, so a page is full unless the log ended).
 */
@Injectable()
export class AuditEvents {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PostingsProjection) private readonly projection: PostingsProjection,
  ) {}

  async page(query: AuditQuery): Promise<{ items: AuditEvent[]; next: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const from = query.from ? Date.parse(query.from) : undefined;
    const to = query.to ? Date.parse(query.to) : undefined;
    let cursor = query.after !== undefined && /^\d+$/.test(query.after) ? BigInt(query.after) : undefined;
    if (query.connectionId) {
      await this.projection.whenLive();
      return this.projection.auditPage({
        connectionId: query.connectionId,
        type: query.type,
        fromMs: from,
        toMs: to,
        after: cursor,
        limit,
      });
    }
    await this.projection.whenLive();
    const indexed = this.projection.logPage({ type: query.type, fromMs: from, toMs: to, after: cursor, limit });
    if (indexed) return indexed;
    // A read model from before the whole log's index (being rebuilt): the log itself, as before.
    const items: AuditEvent[] = [];
    for (;;) {
      const chunk = await this.store.readAll(cursor, {
        maxCount: CHUNK,
        ...(query.type ? { filter: { eventTypes: [query.type] } } : {}),
      });
      for (const e of chunk) {
        cursor = e.position;
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
