/**
 * The Connection aggregate's story (stream `connection-<id>`), in past tense.
 * Secrets never appear in clear: the application seals them through the vault before they reach an event,
 * so the event log can be copied, backed up and read by auditors without exposing a password.
 */

import type { LicenceLimits } from '../licence/licence-limits';
import { eventTypes } from '../shared/event-types';

/** A secret as the vault sealed it (same shape as the vault port's SealedSecret; the domain imports no port). */
export interface SealedValue {
  keyId: string;
  sealed: string;
}

export type AcumaticaAuthSettings =
  | { kind: 'oauth2'; clientId: string; username: string; clientSecret: SealedValue; password: SealedValue }
  | { kind: 'cookie'; username: string; password: SealedValue };

/** Where and how a connection reaches its Acumatica instance, secrets aside. */
export interface AcumaticaEndpoint {
  baseUrl: string;
  tenant: string;
  branch?: string;
  endpointName: string;
  endpointVersion: string;
  /**
   * The licence's API limits, when the administrator gave them (shared by every connection to the tenant).
   * Absent on connections created before licence settings existed, or without them.
   */
  licence?: LicenceLimits;
}

export interface AcumaticaSettings extends AcumaticaEndpoint {
  auth: AcumaticaAuthSettings;
}

/** Gusto's tokens for a company, sealed, held until the principal who started the authorization confirms it. */
export interface HeldGustoTokens {
  companyUuid: string;
  companyName?: string;
  accessToken: SealedValue;
  refreshToken: SealedValue;
  tokenExpiresAt: string;
}

export type GustoAuthorizationLossReason = 'invalid_grant';

export type ConnectionEvent =
  | {
      type: 'ConnectionCreated';
      data: { connectionId: string; name: string; acumatica: AcumaticaSettings; createdAt: string };
    }
  /** Only the SHA-256 of the state travels in the event: the state itself is a bearer credential until used. */
  /**
   * `startedBy`: the principal that started it (only it may confirm the company); `expectedCompanyUuid`: the
   * company the operator named (a code for another is refused); `codeVerifier`: the PKCE verifier, sealed.
   */
  | {
      type: 'GustoAuthorizationStarted';
      data: {
        stateHash: string;
        expiresAt: string;
        startedAt: string;
        startedBy?: string;
        startedByName?: string;
        expectedCompanyUuid?: string;
        codeVerifier?: SealedValue;
      };
    }
  /**
   * The callback came back with a code for a company nobody named: the tokens are held (sealed) until the
   * principal who started the authorization confirms that company. Nothing is bound before that.
   */
  | {
      type: 'GustoAuthorizationAwaitingConfirmation';
      data: HeldGustoTokens & { stateHash: string; confirmBy: string; confirmUntil: string; receivedAt: string };
    }
  | { type: 'GustoAuthorized'; data: { companyUuid: string; stateHash: string; authorizedAt: string } }
  /** The callback came back but the authorization did not complete: the state is spent all the same. */
  | { type: 'GustoAuthorizationFailed'; data: { stateHash: string; reason: string; failedAt: string } }
  | {
      type: 'GustoAuthorizationLost';
      data: { companyUuid: string; reason: GustoAuthorizationLossReason; detail?: string; lostAt: string };
    }
  | { type: 'MappingAccepted'; data: { document: unknown; version: number; acceptedAt: string } }
  /** PUT /api/connections/:id: the name and Acumatica settings replaced (secrets sealed anew). */
  | { type: 'ConnectionSettingsChanged'; data: { name: string; acumatica: AcumaticaSettings; changedAt: string } }
  /**
   * DELETE /api/connections/:id: the connection is gone for every use (no call with its secrets, no poll,
   * no webhook routed to it); its postings and events stay in the log, readable by auditors.
   */
  | { type: 'ConnectionDeleted'; data: { deletedAt: string } };

export const CONNECTION_EVENT_TYPES = eventTypes<ConnectionEvent>()([
  'ConnectionCreated',
  'GustoAuthorizationStarted',
  'GustoAuthorizationAwaitingConfirmation',
  'GustoAuthorized',
  'GustoAuthorizationFailed',
  'GustoAuthorizationLost',
  'MappingAccepted',
  'ConnectionSettingsChanged',
  'ConnectionDeleted',
]);

export const connectionStream = (connectionId: string): string => `connection-${connectionId}`;
export const CONNECTION_STREAM_PREFIX = 'connection-';
