import type { AcumaticaAuthSettings, AcumaticaSettings } from '../../domain/connection/events';
import { connectionStream } from '../../domain/connection/events';
import type { Vault } from '../ports/vault.port';
import type { AcumaticaConnectionSettings } from './ports';

// The associated data ties each ciphertext to its connection and field: a sealed password pasted into
// another connection's event (or into the client-secret slot) fails to open instead of being used.
const aad = (connectionId: string, field: 'password' | 'clientSecret'): string =>
  `${connectionStream(connectionId)}:acumatica.${field}`;

export function sealAcumaticaAuth(
  vault: Vault,
  connectionId: string,
  auth: AcumaticaConnectionSettings['auth'],
): AcumaticaAuthSettings {
  const password = vault.seal(auth.password, aad(connectionId, 'password'));
  if (auth.kind === 'cookie') return { kind: 'cookie', username: auth.username, password };
  return {
    kind: 'oauth2',
    clientId: auth.clientId,
    username: auth.username,
    password,
    clientSecret: vault.seal(auth.clientSecret, aad(connectionId, 'clientSecret')),
  };
}

export function openAcumaticaSettings(
  vault: Vault,
  connectionId: string,
  settings: AcumaticaSettings,
): AcumaticaConnectionSettings {
  const { auth } = settings;
  const password = vault.open(auth.password, aad(connectionId, 'password'));
  const opened: AcumaticaConnectionSettings['auth'] =
    auth.kind === 'cookie'
      ? { kind: 'cookie', username: auth.username, password }
      : {
          kind: 'oauth2',
          clientId: auth.clientId,
          username: auth.username,
          password,
          clientSecret: vault.open(auth.clientSecret, aad(connectionId, 'clientSecret')),
        };
  return {
    connectionId,
    baseUrl: settings.baseUrl,
    tenant: settings.tenant,
    ...(settings.branch ? { branch: settings.branch } : {}),
    endpointName: settings.endpointName,
    endpointVersion: settings.endpointVersion,
    ...(settings.licence ? { licence: settings.licence } : {}),
    auth: opened,
  };
}

export const gustoTokenAad = (companyUuid: string, which: 'access' | 'refresh'): string =>
  `gusto-credentials-${companyUuid}:${which}`;
