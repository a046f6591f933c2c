import { accept, type Accepted, type Refused } from '../shared/decision';
import type { AcumaticaSettings, ConnectionEvent, HeldGustoTokens, SealedValue } from './events';
import type { AwaitingConfirmation, Connection, ConnectionState } from './state';

/** Why a connection command was refused. The HTTP layer maps each to a status exhaustively. */
export type ConnectionError =
  | 'connection_not_found'
  | 'connection_exists'
  | 'authorization_state_unknown'
  | 'authorization_state_expired'
  | 'company_already_connected'
  | 'gusto_company_mismatch'
  | 'authorization_not_found'
  | 'authorization_started_by_another';

/** A refusal of a connection command always says why, for people (the API answers the message). */
export type ConnectionRefusal = Refused<ConnectionError> & { readonly message: string };

/** The one decision shape (../shared/decision.ts): events (none: already so), or a refusal with its message. */
export type ConnectionDecision = Accepted<ConnectionEvent> | ConnectionRefusal;

const refuse = (error: ConnectionError, message: string): ConnectionRefusal => ({ error, message });

/** A connection that exists and was not deleted: the only kind any command acts on. */
export const live = (state: Connection): state is ConnectionState => state.exists && state.deletedAt === undefined;

export function create(
  state: Connection,
  cmd: { connectionId: string; name: string; acumatica: AcumaticaSettings },
  at: Date,
): ConnectionDecision {
  if (state.exists) return refuse('connection_exists', `connection ${cmd.connectionId} already exists`);
  return accept({ type: 'ConnectionCreated', data: { ...cmd, createdAt: at.toISOString() } });
}

/** Who started it, the company they named (if any) and the sealed PKCE verifier travel with the state. */
export interface AuthorizationStart {
  startedBy?: string;
  startedByName?: string;
  expectedCompanyUuid?: string;
  codeVerifier?: SealedValue;
}

export function startGustoAuthorization(
  state: Connection,
  stateHash: string,
  expiresAt: Date,
  at: Date,
  start: AuthorizationStart = {},
): ConnectionDecision {
  if (!live(state)) return refuse('connection_not_found', 'no such connection');
  return accept({
    type: 'GustoAuthorizationStarted',
    data: { stateHash, expiresAt: expiresAt.toISOString(), startedAt: at.toISOString(), ...start },
  });
}

/** The company a code must be for: the one named when starting, else the one the connection already has. */
export function expectedCompany(state: ConnectionState, stateHash: string): string | undefined {
  return state.gusto.pending[stateHash]?.expectedCompanyUuid ?? state.gusto.companyUuid;
}

/** Checked before the authorization code is exchanged, so a forged or replayed state costs Gusto nothing. */
export function checkAuthorizationState(state: Connection, stateHash: string, now: Date): ConnectionRefusal | null {
  if (!live(state)) return { error: 'connection_not_found', message: 'the authorization state names no connection' };
  const pending = state.gusto.pending[stateHash];
  if (!pending)
    return {
      error: 'authorization_state_unknown',
      message: 'the authorization state is unknown or was already used; start the authorization again',
    };
  if (Date.parse(pending.expiresAt) <= now.getTime()) {
    return {
      error: 'authorization_state_expired',
      message: 'the authorization state has expired; start the authorization again',
    };
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
): ConnectionDecision {
  const invalid = checkAuthorizationState(state, cmd.stateHash, now);
  if (invalid) return invalid;
  const connection = state as ConnectionState;
  if (cmd.companyBoundTo !== undefined && cmd.companyBoundTo !== connection.id) {
    return refuse(
      'company_already_connected',
      `Gusto company ${cmd.companyUuid} is already connected to another connection; one connection per Gusto company`,
    );
  }
  const expected = expectedCompany(connection, cmd.stateHash);
  if (expected === undefined) {
    return refuse(
      'gusto_company_mismatch',
      'no Gusto company was named for this authorization: the company must be confirmed by who started it',
    );
  }
  if (expected !== cmd.companyUuid) {
    // The other company is not named: the caller (a browser redirect) need not learn it.
    return refuse(
      'gusto_company_mismatch',
      `this authorization is for Gusto company ${expected}, but Gusto granted access to another company; nothing was connected`,
    );
  }
  return accept({
    type: 'GustoAuthorized',
    data: { companyUuid: cmd.companyUuid, stateHash: cmd.stateHash, authorizedAt: now.toISOString() },
  });
}

/**
 * A code for a company nobody named: held, sealed, for the principal who started the authorization to
 * confirm (until `confirmUntil`). Refused like a completion when the company is taken.
 */
export function awaitConfirmation(
  state: Connection,
  cmd: HeldGustoTokens & { stateHash: string; companyBoundTo?: string; confirmUntil: Date },
  now: Date,
): ConnectionDecision {
  const invalid = checkAuthorizationState(state, cmd.stateHash, now);
  if (invalid) return invalid;
  const connection = state as ConnectionState;
  if (expectedCompany(connection, cmd.stateHash) !== undefined)
    return refuse(
      'gusto_company_mismatch',
      'this authorization names its company: it completes or fails without a confirmation',
    );
  if (cmd.companyBoundTo !== undefined && cmd.companyBoundTo !== connection.id) {
    return refuse(
      'company_already_connected',
      `Gusto company ${cmd.companyUuid} is already connected to another connection; one connection per Gusto company`,
    );
  }
  const { companyBoundTo: _bound, confirmUntil, ...data } = cmd;
  const confirmBy = connection.gusto.pending[cmd.stateHash]?.startedBy ?? 'operator';
  return accept({
    type: 'GustoAuthorizationAwaitingConfirmation',
    data: { ...data, confirmBy, confirmUntil: confirmUntil.toISOString(), receivedAt: now.toISOString() },
  });
}

/** The held authorization for `companyUuid`, if `by` may confirm it now. */
export function findAwaiting(
  state: Connection,
  companyUuid: string,
  by: string,
  now: Date,
): { stateHash: string; awaiting: AwaitingConfirmation } | ConnectionRefusal {
  if (!live(state)) return { error: 'connection_not_found', message: 'no such connection' };
  const held = Object.entries(state.gusto.awaiting ?? {}).filter(
    ([, a]) => a.companyUuid === companyUuid && Date.parse(a.expiresAt) > now.getTime(),
  );
  if (held.length === 0)
    return {
      error: 'authorization_not_found',
      message:
        'no authorization of that Gusto company is waiting for confirmation on this connection; start the authorization again',
    };
  const mine = held.find(([, a]) => a.confirmBy === by);
  if (!mine)
    return {
      error: 'authorization_started_by_another',
      message: 'this authorization was started by another key: only the key that started it may confirm the company',
    };
  return { stateHash: mine[0], awaiting: mine[1] };
}

/** The starter confirmed the company a held code is for: the connection is bound to it. */
export function confirmGustoAuthorization(
  state: Connection,
  cmd: { companyUuid: string; by: string; companyBoundTo?: string },
  now: Date,
): ConnectionDecision {
  const found = findAwaiting(state, cmd.companyUuid, cmd.by, now);
  if ('error' in found) return found;
  const connection = state as ConnectionState;
  if (cmd.companyBoundTo !== undefined && cmd.companyBoundTo !== connection.id) {
    return refuse(
      'company_already_connected',
      `Gusto company ${cmd.companyUuid} is already connected to another connection; one connection per Gusto company`,
    );
  }
  return accept({
    type: 'GustoAuthorized',
    data: { companyUuid: cmd.companyUuid, stateHash: found.stateHash, authorizedAt: now.toISOString() },
  });
}

/** A checked state was used but the authorization failed (code refused, company taken): spend the state. */
export function failGustoAuthorization(
  state: Connection,
  stateHash: string,
  reason: string,
  at: Date,
): ConnectionDecision {
  if (!state.exists || (!state.gusto.pending[stateHash] && !state.gusto.awaiting?.[stateHash])) return accept();
  return accept({ type: 'GustoAuthorizationFailed', data: { stateHash, reason, failedAt: at.toISOString() } });
}

/** Gusto rejected the refresh token. Idempotent: a second report of the same loss records nothing. */
export function loseGustoAuthorization(
  state: Connection,
  companyUuid: string,
  detail: string | undefined,
  at: Date,
): ConnectionDecision {
  if (!live(state)) return refuse('connection_not_found', 'no such connection');
  if (state.gusto.status !== 'connected' || state.gusto.companyUuid !== companyUuid) return accept();
  return accept({
    type: 'GustoAuthorizationLost',
    data: { companyUuid, reason: 'invalid_grant', ...(detail ? { detail } : {}), lostAt: at.toISOString() },
  });
}

/** The document has been validated by the caller (shape and chart of accounts); here it only gets its version. */
export function acceptMapping(state: Connection, document: unknown, at: Date): ConnectionDecision {
  if (!live(state)) return refuse('connection_not_found', 'no such connection');
  const version = (state.mapping?.version ?? 0) + 1;
  return accept({ type: 'MappingAccepted', data: { document, version, acceptedAt: at.toISOString() } });
}

/** PUT /api/connections/:id: the caller has checked the URL and sealed the secrets. */
export function changeSettings(
  state: Connection,
  cmd: { name: string; acumatica: AcumaticaSettings },
  at: Date,
): ConnectionDecision {
  if (!live(state)) return refuse('connection_not_found', 'no such connection');
  return accept({ type: 'ConnectionSettingsChanged', data: { ...cmd, changedAt: at.toISOString() } });
}

/** DELETE /api/connections/:id. A second delete finds nothing (404), like any command on a deleted connection. */
export function deleteConnection(state: Connection, at: Date): ConnectionDecision {
  if (!live(state)) return refuse('connection_not_found', 'no such connection');
  return accept({ type: 'ConnectionDeleted', data: { deletedAt: at.toISOString() } });
}
