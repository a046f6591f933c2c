/**
 * What the posting pipeline and the employee mirror need to know about connections.
 * Implemented by the connections capability (src/application/connections).
 */
export const CONNECTIONS = Symbol('CONNECTIONS');

export interface ConnectionMapping {
  /** The mapping document exactly as accepted by PUT /api/connections/:id/mapping (see src/domain/mapping). */
  document: unknown;
  /** 1, 2, 3, … — bumped on every accepted PUT. A built journal records the version it used. */
  version: number;
}

export interface ConnectionSummary {
  id: string;
  name: string;
  gustoCompanyUuid?: string;
  gustoStatus: 'not_connected' | 'connected' | 'needs_reauthorization';
}

export interface Connections {
  get(connectionId: string): Promise<ConnectionSummary | null>;
  list(): Promise<ConnectionSummary[]>;
  /** The connection authorized for this Gusto company (webhooks name the company, not the connection). */
  findByGustoCompany(companyUuid: string): Promise<ConnectionSummary | null>;
  /** The current mapping, or null when none has been accepted yet. */
  getMapping(connectionId: string): Promise<ConnectionMapping | null>;
}
