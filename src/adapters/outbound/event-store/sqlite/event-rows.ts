import type { EventMetadata, RecordedEvent } from '../../../../application/ports/event-store.port';

/** A row of the `events` table as better-sqlite3 returns it (integers as bigint). */
export interface EventRow {
  position: bigint;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError(`event ${what} is not JSON-serializable`);
  return text;
}
