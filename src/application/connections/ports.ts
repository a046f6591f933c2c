/**
 * Ports the connections capability needs besides the shared ones in application/ports. Implemented in
 * adapters/outbound/{gusto,acumatica}; bound in modules/connections.module.ts.
 */

import type { AcumaticaErrorKind } from '../ports/acumatica.port';
import type { AcumaticaEndpoint } from '../../domain/connection/events';

export const GUSTO_OAUTH = Symbol('GUSTO_OAUTH');

export interface GustoTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as Gusto reports (7200). */
  expiresIn: number;
}

/** 'unauthorized': Gusto refused the access token (the adapter classifies its 401). */
export type GustoOAuthErrorKind = 'invalid_grant' | 'unavailable' | 'rejected' | 'unauthorized' | 'not_configured';

export class GustoOAuthError extends Error {
  constructor(
    readonly kind: GustoOAuthErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GustoOAuthError';
  }
}

/** Gusto's OAuth endpoints and the two calls that need a bare access token (who am I, company name). */
export interface GustoOAuth {
  /** With `codeChallenge`: PKCE, S256 (the SHA-256 of the verifier, base64url). */
  authorizeUrl(state: string, codeChallenge?: string): string;
  /** `codeVerifier`: the PKCE verifier whose challenge the authorization carried. */
  exchangeCode(code: string, codeVerifier?: string): Promise<GustoTokenSet>;
  /** Throws GustoOAuthError('invalid_grant') when Gusto says the refresh token is spent or revoked. */
  refresh(refreshToken: string): Promise<GustoTokenSet>;
  tokenInfo(accessToken: string): Promise<{ companyUuid: string }>;
  /** Throws GustoOAuthError: kind 'unauthorized' when the token is refused. */
  companyName(accessToken: string, companyUuid: string): Promise<string | undefined>;
}

export const GUSTO_TOKENS = Symbol('GUSTO_TOKENS');

export interface UsableGustoToken {
  accessToken: string;
  /** Pass back to `accessToken` when Gusto answered 401 to this token. */
  generation: number;
}

/** A valid access token for a company, refreshed single-flight across callers and processes. */
export interface GustoTokenSource {
  accessToken(companyUuid: string, rejectedGeneration?: number): Promise<UsableGustoToken>;
}

/** One connection's Acumatica settings with its secrets opened: lives only in memory, never logged. */
export interface AcumaticaConnectionSettings extends AcumaticaEndpoint {
  connectionId: string;
  auth:
    | { kind: 'oauth2'; clientId: string; clientSecret: string; username: string; password: string }
    | { kind: 'cookie'; username: string; password: string };
}

export const ACUMATICA_SETTINGS = Symbol('ACUMATICA_SETTINGS');

export interface AcumaticaSettingsSource {
  settingsFor(connectionId: string): Promise<AcumaticaConnectionSettings>;
}

export const ACUMATICA_PROBE = Symbol('ACUMATICA_PROBE');

export interface AcumaticaPingResult {
  ok: boolean;
  endpointVersion: string;
  availableVersions?: string[];
  error?: string;
}

export interface AcumaticaProbeResult extends AcumaticaPingResult {
  /** How it failed, classified by the adapter ('unauthorized': credentials refused after one fresh sign-in). */
  errorKind?: AcumaticaErrorKind;
}

export interface AcumaticaProbe {
  /** One authenticated read on the configured endpoint (signing in when needed). Never throws. */
  probe(connectionId: string): Promise<AcumaticaProbeResult>;
}
