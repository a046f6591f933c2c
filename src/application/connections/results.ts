import type { ConnectionError } from '../../domain/connection/decide';

/** Every way a connections use case can refuse. The HTTP adapter maps each to a status exhaustively. */
export type ConnectionFailure =
  | ConnectionError
  | 'invalid_mapping' // the document is malformed (400)
  | 'mapping_accounts_invalid' // names accounts/subaccounts Acumatica lacks or has inactive (422)
  | 'acumatica_unavailable' // the chart of accounts could not be read (502/503)
  | 'gusto_authorization_rejected' // Gusto refused the code (expired, reused) (400)
  | 'gusto_authorization_failed' // Gusto unreachable or answered oddly during the exchange (502)
  | 'gusto_not_configured' // GUSTO_CLIENT_ID / SECRET missing (503)
  | 'acumatica_url_not_allowed' // the base URL is not one the connector may call (400, naming the rule)
  | 'revision_mismatch' // the caller's If-Match names an older revision of the connection (412)
  | 'write_conflict'; // other writers kept changing the connection: every attempt lost its race (409)

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: ConnectionFailure; message: string; details?: string[]; current?: bigint | 'no_stream' };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = <T = never>(error: ConnectionFailure, message: string, details?: string[]): Outcome<T> => ({
  ok: false,
  error,
  message,
  ...(details ? { details } : {}),
});
