/** Every way a console read can refuse. The HTTP adapter maps each to a status exhaustively. */
export type ConsoleReadFailure =
  | 'connection_not_found' // 404
  | 'acumatica_authentication_failed' // Acumatica refused the stored credentials, also after a fresh sign-in (502)
  | 'acumatica_endpoint_version_not_available' // the connection's endpoint version is not served (502, versions named)
  | 'acumatica_unavailable' // Acumatica could not be read (502)
  | 'acumatica_url_not_allowed' // a base URL the connector may not call (400, naming the rule)
  | 'gusto_not_connected' // the connection has no Gusto authorization yet (409)
  | 'gusto_needs_reauthorization' // Gusto rejected the stored grant (409)
  | 'gusto_unavailable'; // Gusto could not be read (502)

export type ConsoleOutcome<T> =
  { ok: true; value: T } | { ok: false; error: ConsoleReadFailure; message: string; details?: unknown };

export const ok = <T>(value: T): ConsoleOutcome<T> => ({ ok: true, value });
export const refuse = <T = never>(
  error: ConsoleReadFailure,
  message: string,
  details?: unknown,
): ConsoleOutcome<T> => ({
  ok: false,
  error,
  message,
  ...(details === undefined ? {} : { details }),
});
