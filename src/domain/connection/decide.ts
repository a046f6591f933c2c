import type { AcumaticaSettings, ConnectionEvent } from './events';
import type { Connection, ConnectionState } from './state';

/** Why a connection command was refused. The HTTP layer maps each to a status exhaustively. */
export type ConnectionError =
  | 'connection_not_found'
  | 'connection_exists'
  | 'authorization_state_unknown'
  | 'authorization_state_expired'
  | 'company_already_connected'
  | 'gusto_company_mismatch';

export type Decision = ConnectionEvent[] | { error: ConnectionError; message: string };

export const isRefusal = (d: Decision): d is { error: ConnectionError; message: string } => !Array.isArray(d);

const refuse = (error: ConnectionError, message: string): Decision => ({ error, message });

export function create(state: Connection, cmd: { connectionId: string; name: string; acumatica: AcumaticaSettings }, at: Date): Decision {
  if (state.exists) return refuse('connection_exists', `connection ${cmd.connectionId} already exists`);
  return [{ type: 'ConnectionCreated', data: { ...cmd, createdAt: at.toISOString() } }];
}

export function startGustoAuthorization(state: Connection, stateHash: string, expiresAt: Date, at: Date): Decision {
  if (!state.exists) return refuse('connection_not_found', 'no such connection');
  return [{ type: 'GustoAuthorizationStarted', data: { stateHash, expiresAt: expiresAt.toISOString(), startedAt: at.toISOString() } }];
}

/** Checked before the authorization code is exchanged, so a forged or replayed state costs Gusto nothing. */
export function checkAuthorizationState(state: Connection, stateHash: string, now: Date): { error: ConnectionError; message: string } | null {
  if (!state.exists) return { error: 'connection_not_found', message: 'the authorization state names no connection' };
  const pending = state.gusto.pending[stateHash];
  if (!pending) return { error: 'authorization_state_unknown', message: 'the authorization state is unknown or was already used; start the authorization again' };
  if (Date.parse(pending.expiresAt) <= now.getTime()) {
    return { error: 'authorization_state_expired', message: 'the authorization state has expired; start the authorization again' };
  }
  return null;
}

/**
 * The callback came back with a company. `companyBoundTo` is the connection that already holds this
 * company's Gusto grant (from the credentials stream), if any: one connection per Gusto company.
 */
export function completeGustoAuthorization(
  state: Connection,
  cmd: { stateHash: string; companyUuid: string; companyBoundTo?: string },
  now: Date,
): Decision {
  const invalid = checkAuthorizationState(state, cmd.stateHash, now);
  if (invalid) return invalid;
  const connection = state as ConnectionState;
  if (cmd.companyBoundTo !== undefined && cmd.companyBoundTo !== connection.id) {
    return refuse(
      'company_already_connected',
      `Gusto company ${cmd.companyUuid} is already connected to connection ${cmd.companyBoundTo}; one connection per Gusto company`,
    );
  }
  if (connection.gusto.companyUuid !== undefined && connection.gusto.companyUuid !== cmd.companyUuid) {
    return refuse(
      'gusto_company_mismatch',
      `this connection belongs to Gusto company ${connection.gusto.companyUuid}, but the authorization was granted for ${cmd.companyUuid}`,
    );
  }
  return [{ type: 'GustoAuthorized', data: { companyUuid: cmd.companyUuid, stateHash: cmd.stateHash, authorizedAt: now.toISOString() } }];
}

/** A checked state was used but the authorization failed (code refused, company taken): spend the state. */
export function failGustoAuthorization(state: Connection, stateHash: string, reason: string, at: Date): Decision {
  if (!state.exists || !state.gusto.pending[stateHash]) return [];
  return [{ type: 'GustoAuthorizationFailed', data: { stateHash, reason, failedAt: at.toISOString() } }];
}

/** Gusto rejected the refresh token. Idempotent: a second report of the same loss records nothing. */
export function loseGustoAuthorization(state: Connection, companyUuid: string, detail: string | undefined, at: Date): Decision {
  if (!state.exists) return refuse('connection_not_found', 'no such connection');
  if (state.gusto.status !== 'connected' || state.gusto.companyUuid !== companyUuid) return [];
  return [
    {
      type: 'GustoAuthorizationLost',
      data: { companyUuid, reason: 'invalid_grant', ...(detail ? { detail } : {}), lostAt: at.toISOString() },
    },
  ];
}

/** The document has been validated by the caller (shape and chart of accounts); here it only gets its version. */
export function acceptMapping(state: Connection, document: unknown, at: Date): Decision {
  if (!state.exists) return refuse('connection_not_found', 'no such connection');
  const version = (state.mapping?.version ?? 0) + 1;
  return [{ type: 'MappingAccepted', data: { document, version, acceptedAt: at.toISOString() } }];
}
