import type { ConnectionMapping, ConnectionSummary, Connections } from '../../src/application/ports/connections.port';

/** The one fake of the Connections port for unit tests: connections by id and Gusto company, one mapping document. */
export class FakeConnections implements Connections {
  readonly byId = new Map<string, ConnectionSummary>();
  /** The mapping every connection answers (null: none accepted yet). */
  mapping: ConnectionMapping | null = null;
  /** findByGustoCompany calls, for tests that count look-ups. */
  lookups = 0;

  /** Sets the mapping document (version 1), or none with `null`. */
  set document(document: unknown) {
    this.mapping = document === null ? null : { document, version: 1 };
  }

  connect(id: string, gustoCompanyUuid?: string, name = id): this {
    this.byId.set(id, { id, name, ...(gustoCompanyUuid ? { gustoCompanyUuid } : {}), gustoStatus: 'connected' });
    return this;
  }

  async get(connectionId: string): Promise<ConnectionSummary | null> {
    return this.byId.get(connectionId) ?? null;
  }

  async list(): Promise<ConnectionSummary[]> {
    return [...this.byId.values()];
  }

  async findByGustoCompany(companyUuid: string): Promise<ConnectionSummary | null> {
    this.lookups++;
    return [...this.byId.values()].find((c) => c.gustoCompanyUuid === companyUuid) ?? null;
  }

  async getMapping(): Promise<ConnectionMapping | null> {
    return this.mapping;
  }
}
