import { CONNECTION_STREAM_PREFIX, type ConnectionEvent } from '../../domain/connection/events';
import { evolve, initialConnection, type Connection, type ConnectionState } from '../../domain/connection/state';
import type { EventStore } from '../ports/event-store.port';
import type { ConnectionMapping, Connections, ConnectionSummary } from '../ports/connections.port';

/**
 * The Connections port, read straight from the event log: every query first folds in whatever was appended
 * since the last one (by global position), so a connection authorized by another process is seen at once.
 * Few connections exist, so the whole set lives in memory.
 */
export class ConnectionsReadModel implements Connections {
  private readonly byId = new Map<string, ConnectionState>();
  /** Gusto company uuid → the connections bound to it (every webhook looks its company up). */
  private readonly byCompany = new Map<string, Set<string>>();
  private position: bigint | undefined;
  private catchingUp: Promise<void> | null = null;

  constructor(private readonly store: EventStore) {}

  /** Folds new events in. Concurrent callers share one read. */
  catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = this.readNew().finally(() => {
        this.catchingUp = null;
      });
    }
    return this.catchingUp;
  }

  private async readNew(): Promise<void> {
    // The head is read first: every connection event at or before it is in the read below, so the
    // checkpoint can move to it even when the last events are postings (no rescan of them next time).
    const head = await this.store.headPosition();
    const events = await this.store.readAll(this.position, { filter: { streamPrefixes: [CONNECTION_STREAM_PREFIX] } });
    for (const recorded of events) {
      const id = recorded.stream.slice(CONNECTION_STREAM_PREFIX.length);
      const before: Connection = this.byId.get(id) ?? initialConnection;
      const after = evolve(before, { type: recorded.type, data: recorded.data } as ConnectionEvent);
      // A deleted connection leaves every use at once: no settings, no Gusto company lookup, no poll.
      const live = after.exists && after.deletedAt === undefined;
      if (live) this.byId.set(id, after);
      else this.byId.delete(id);
      this.index(id, before.exists ? before.gusto.companyUuid : undefined, live ? after.gusto.companyUuid : undefined);
      this.position = recorded.position;
    }
    if (head !== undefined && (this.position === undefined || head > this.position)) this.position = head;
  }

  private index(id: string, from: string | undefined, to: string | undefined): void {
    if (from === to) return;
    if (from !== undefined) {
      const ids = this.byCompany.get(from);
      ids?.delete(id);
      if (ids?.size === 0) this.byCompany.delete(from);
    }
    if (to !== undefined) {
      const ids = this.byCompany.get(to) ?? new Set<string>();
      ids.add(id);
      this.byCompany.set(to, ids);
    }
  }

  async getState(connectionId: string): Promise<ConnectionState | null> {
    await this.catchUp();
    return this.byId.get(connectionId) ?? null;
  }

  /** Oldest first: creation order is what an operator expects in a list. */
  async listStates(): Promise<ConnectionState[]> {
    await this.catchUp();
    return [...this.byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(connectionId: string): Promise<ConnectionSummary | null> {
    const state = await this.getState(connectionId);
    return state ? summarize(state) : null;
  }

  async list(): Promise<ConnectionSummary[]> {
    return (await this.listStates()).map(summarize);
  }

  /**
   * The oldest connection of this Gusto company. Every webhook asks this: the company's own connections
   * from an index, not a pass over all of them (a pass per webhook over 4,000 connections took ~15 % of the
   * service's CPU in the scale bench; sorting them all, before, held the inbox to a few postings per second).
   */
  async findByGustoCompany(companyUuid: string): Promise<ConnectionSummary | null> {
    await this.catchUp();
    let match: ConnectionState | undefined;
    for (const id of this.byCompany.get(companyUuid) ?? []) {
      const c = this.byId.get(id);
      if (!c) continue;
      if (
        !match ||
        c.createdAt.localeCompare(match.createdAt) < 0 ||
        (c.createdAt === match.createdAt && c.id < match.id)
      )
        match = c;
    }
    return match ? summarize(match) : null;
  }

  async getMapping(connectionId: string): Promise<ConnectionMapping | null> {
    const state = await this.getState(connectionId);
    return state?.mapping ? { document: state.mapping.document, version: state.mapping.version } : null;
  }
}

export const summarize = (c: ConnectionState): ConnectionSummary => ({
  id: c.id,
  name: c.name,
  ...(c.gusto.companyUuid ? { gustoCompanyUuid: c.gusto.companyUuid } : {}),
  gustoStatus: c.gusto.status,
});
