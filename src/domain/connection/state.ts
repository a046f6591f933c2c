import type { AcumaticaSettings, ConnectionEvent } from './events';

export type GustoStatus = 'not_connected' | 'connected' | 'needs_reauthorization';

export interface PendingAuthorization {
  expiresAt: string;
}

export interface ConnectionState {
  exists: true;
  id: string;
  name: string;
  acumatica: AcumaticaSettings;
  createdAt: string;
  gusto: {
    status: GustoStatus;
    companyUuid?: string;
    /** Authorization states not yet used, by hash. A used state is removed: single use. */
    pending: Record<string, PendingAuthorization>;
  };
  mapping?: { document: unknown; version: number; acceptedAt: string };
}

export type Connection = { exists: false } | ConnectionState;

export const initialConnection: Connection = { exists: false };

export function evolve(state: Connection, event: ConnectionEvent): Connection {
  if (event.type === 'ConnectionCreated') {
    const { connectionId, name, acumatica, createdAt } = event.data;
    return { exists: true, id: connectionId, name, acumatica, createdAt, gusto: { status: 'not_connected', pending: {} } };
  }
  // Every other event follows ConnectionCreated; a stream that starts otherwise is ignored rather than crashing reads.
  if (!state.exists) return state;
  switch (event.type) {
    case 'GustoAuthorizationStarted': {
      // States abandoned in a browser tab would pile up forever: drop those expired when a new one starts.
      const live = Object.entries(state.gusto.pending).filter(([, p]) => p.expiresAt > event.data.startedAt);
      return { ...state, gusto: { ...state.gusto, pending: { ...Object.fromEntries(live), [event.data.stateHash]: { expiresAt: event.data.expiresAt } } } };
    }
    case 'GustoAuthorizationFailed': {
      const { [event.data.stateHash]: _spent, ...rest } = state.gusto.pending;
      return { ...state, gusto: { ...state.gusto, pending: rest } };
    }
    case 'GustoAuthorized': {
      const { [event.data.stateHash]: _used, ...rest } = state.gusto.pending;
      return { ...state, gusto: { status: 'connected', companyUuid: event.data.companyUuid, pending: rest } };
    }
    case 'GustoAuthorizationLost':
      return { ...state, gusto: { ...state.gusto, status: 'needs_reauthorization' } };
    case 'MappingAccepted':
      return { ...state, mapping: { document: event.data.document, version: event.data.version, acceptedAt: event.data.acceptedAt } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const fold = (events: readonly ConnectionEvent[], from: Connection = initialConnection): Connection => events.reduce(evolve, from);
