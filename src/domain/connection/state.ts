import type { AcumaticaSettings, ConnectionEvent, HeldGustoTokens, SealedValue } from './events';

export type GustoStatus = 'not_connected' | 'connected' | 'needs_reauthorization';

export interface PendingAuthorization {
  expiresAt: string;
  startedBy?: string;
  startedByName?: string;
  expectedCompanyUuid?: string;
  codeVerifier?: SealedValue;
}

/** A code came back for a company nobody named: held until the starter confirms it (or it expires). */
export interface AwaitingConfirmation extends PendingAuthorization, HeldGustoTokens {
  confirmBy: string;
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
    /** Codes received for a company nobody named, by state hash, until confirmed (absent when none). */
    awaiting?: Record<string, AwaitingConfirmation>;
  };
  mapping?: { document: unknown; version: number; acceptedAt: string };
  /** Set by ConnectionDeleted: every command is refused as if the connection did not exist. */
  deletedAt?: string;
}

export type Connection = { exists: false } | ConnectionState;

export const initialConnection: Connection = { exists: false };

export function evolve(state: Connection, event: ConnectionEvent): Connection {
  if (event.type === 'ConnectionCreated') {
    const { connectionId, name, acumatica, createdAt } = event.data;
    return {
      exists: true,
      id: connectionId,
      name,
      acumatica,
      createdAt,
      gusto: { status: 'not_connected', pending: {} },
    };
  }
  // Every other event follows ConnectionCreated; a stream that starts otherwise is ignored rather than crashing reads.
  if (!state.exists) return state;
  switch (event.type) {
    case 'GustoAuthorizationStarted': {
      // States abandoned in a browser tab would pile up forever: drop those expired when a new one starts.
      const live = Object.entries(state.gusto.pending).filter(([, p]) => p.expiresAt > event.data.startedAt);
      const { stateHash, startedAt: _at, ...pending } = event.data;
      return { ...state, gusto: { ...state.gusto, pending: { ...Object.fromEntries(live), [stateHash]: pending } } };
    }
    case 'GustoAuthorizationAwaitingConfirmation': {
      const { stateHash, receivedAt: _at, confirmUntil, ...received } = event.data;
      const { [stateHash]: started, ...rest } = state.gusto.pending;
      const live = Object.entries(state.gusto.awaiting ?? {}).filter(([, a]) => a.expiresAt > event.data.receivedAt);
      return {
        ...state,
        gusto: {
          ...state.gusto,
          pending: rest,
          awaiting: { ...Object.fromEntries(live), [stateHash]: { ...started, ...received, expiresAt: confirmUntil } },
        },
      };
    }
    case 'GustoAuthorizationFailed': {
      const { [event.data.stateHash]: _spent, ...rest } = state.gusto.pending;
      const { awaiting, ...gusto } = state.gusto;
      return { ...state, gusto: { ...gusto, pending: rest, ...withoutAwaiting(awaiting, event.data.stateHash) } };
    }
    case 'GustoAuthorized': {
      const { [event.data.stateHash]: _used, ...rest } = state.gusto.pending;
      return {
        ...state,
        gusto: {
          status: 'connected',
          companyUuid: event.data.companyUuid,
          pending: rest,
          ...withoutAwaiting(state.gusto.awaiting, event.data.stateHash),
        },
      };
    }
    case 'GustoAuthorizationLost':
      return { ...state, gusto: { ...state.gusto, status: 'needs_reauthorization' } };
    case 'MappingAccepted':
      return {
        ...state,
        mapping: { document: event.data.document, version: event.data.version, acceptedAt: event.data.acceptedAt },
      };
    case 'ConnectionSettingsChanged':
      return { ...state, name: event.data.name, acumatica: event.data.acumatica };
    case 'ConnectionDeleted':
      return { ...state, deletedAt: event.data.deletedAt };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** `{ awaiting }` without the given state (nothing when none is left: old states keep their shape). */
function withoutAwaiting(
  awaiting: Record<string, AwaitingConfirmation> | undefined,
  stateHash: string,
): { awaiting?: Record<string, AwaitingConfirmation> } {
  if (!awaiting) return {};
  const { [stateHash]: _gone, ...rest } = awaiting;
  return Object.keys(rest).length ? { awaiting: rest } : {};
}

export const fold = (events: readonly ConnectionEvent[], from: Connection = initialConnection): Connection =>
  events.reduce(evolve, from);
