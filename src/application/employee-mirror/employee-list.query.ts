import { Inject, Injectable } from '@nestjs/common';
import {
  describeBlock,
  employeeSyncRunStream,
  type BlockCode,
  type DriftedField,
  type EmployeesSynced,
} from '../../domain/employee-mirror/events';
import { fold, type EmployeeMirrorState } from '../../domain/employee-mirror/state';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import { domainEvents } from './employee-stream';

/** Where the employee stands in Acumatica, as the mirror left it. */
export type MirrorStatus = 'not_mirrored' | 'active' | 'termination_scheduled' | 'terminated';

export interface EmployeeListItem {
  gustoUuid: string;
  name: string;
  status: MirrorStatus;
  acumaticaEmployeeId: string | null;
  /** When the mirror last checked this employee: its own last event, or the last full run (poll) that included it. */
  lastSyncAt: string | null;
  /** Acumatica was changed by hand and disagrees with Gusto (left alone under driftPolicy 'flag'). */
  drift?: { fields: DriftedField[] };
  /** Why the employee is not (fully) mirrored, in words an operator can act on. */
  problem?: { code: BlockCode; message: string };
}

export interface EmployeeListPage {
  items: EmployeeListItem[];
  next: string | null;
}

export type EmployeeListError = 'connection_not_found' | 'invalid_cursor';

export const DEFAULT_PAGE_SIZE = 100;

/**
 * GET /api/employees, answered by folding the connection's employee-mirror streams on each request rather
 * than from a projection: an employee stream holds a handful of events (the mirror appends only on a
 * change), so even a few thousand employees are a few thousand rows read from the store — milliseconds —
 * and the answer is always exactly the log (no lag after a sync, nothing to checkpoint or rebuild). If
 * companies grow to tens of thousands of employees this becomes a projection with the same item shape.
 */
@Injectable()
export class EmployeeListQuery {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONNECTIONS) private readonly connections: Connections,
  ) {}

  async list(
    connectionId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<EmployeeListPage | EmployeeListError> {
    if (!(await this.connections.get(connectionId))) return 'connection_not_found';
    let after: string | null = null;
    if (options.cursor !== undefined) {
      after = decodeCursor(options.cursor);
      if (after === null) return 'invalid_cursor';
    }
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const recorded = await this.store.readAll(undefined, {
      filter: { streamPrefixes: [`employee-mirror-${connectionId}-`] },
    });
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of recorded) {
      const list = byStream.get(event.stream) ?? [];
      list.push(event);
      byStream.set(event.stream, list);
    }
    const lastRun = await this.lastRun(connectionId);
    const items: EmployeeListItem[] = [];
    for (const events of byStream.values()) {
      const state = fold(domainEvents(events));
      // The prefix of connection "a" also matches connection "a-b"'s streams: the first event says whose it is.
      if (state.connectionId !== connectionId || state.employeeUuid === null) continue;
      const item = itemOf(state, events[events.length - 1]);
      // A full run that found nothing to change still counts as a sync of every employee it did not fail on.
      if (
        lastRun &&
        !lastRun.failed.includes(item.gustoUuid) &&
        (item.lastSyncAt === null || lastRun.at > item.lastSyncAt)
      )
        item.lastSyncAt = lastRun.at;
      items.push(item);
    }
    // By uuid: a stable order for the cursor (names change; uuids do not).
    items.sort((a, b) => a.gustoUuid.localeCompare(b.gustoUuid));
    const rest = after === null ? items : items.filter((item) => item.gustoUuid > (after as string));
    const page = rest.slice(0, limit);
    const next = rest.length > limit ? encodeCursor(page[page.length - 1].gustoUuid) : null;
    return { items: page, next };
  }

  private async lastRun(connectionId: string): Promise<{ at: string; failed: string[] } | null> {
    const runs = await this.store.readStream(employeeSyncRunStream(connectionId));
    const last = runs[runs.length - 1];
    if (!last || last.type !== 'EmployeesSynced') return null;
    const data = last.data as EmployeesSynced['data'];
    return { at: typeof last.metadata.at === 'string' ? last.metadata.at : last.recordedAt, failed: data.failed ?? [] };
  }
}

function itemOf(state: EmployeeMirrorState, last: RecordedEvent | undefined): EmployeeListItem {
  const status: MirrorStatus =
    state.employeeId === null
      ? 'not_mirrored'
      : state.appliedTermination
        ? 'terminated'
        : state.scheduledTermination
          ? 'termination_scheduled'
          : 'active';
  const at = last?.metadata.at;
  return {
    gustoUuid: state.employeeUuid as string,
    name: state.snapshot ? `${state.snapshot.firstName} ${state.snapshot.lastName}`.trim() : '',
    status,
    acumaticaEmployeeId: state.employeeId,
    lastSyncAt: typeof at === 'string' ? at : (last?.recordedAt ?? null),
    ...(state.drift ? { drift: { fields: state.drift } } : {}),
    ...(state.blocked ? { problem: { code: state.blocked.code, message: describeBlock(state.blocked) } } : {}),
  };
}

const encodeCursor = (uuid: string): string => Buffer.from(JSON.stringify({ after: uuid })).toString('base64url');

function decodeCursor(cursor: string): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof parsed.after === 'string' ? parsed.after : null;
  } catch {
    return null;
  }
}
