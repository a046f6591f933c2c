/** Gusto's token grant as the connector keeps it: both tokens sealed for their company, the expiry absolute. */
import type { SealedValue } from '../../domain/connection/events';
import type { Vault } from '../ports/vault.port';
import type { GustoTokenSet } from './ports';
import { gustoTokenAad } from './sealed-settings';

export interface SealedGrant {
  accessToken: SealedValue;
  refreshToken: SealedValue;
  expiresAt: string;
}

export function sealGrant(
  vault: Pick<Vault, 'seal'>,
  granted: GustoTokenSet,
  companyUuid: string,
  now: Date,
): SealedGrant {
  return {
    accessToken: vault.seal(granted.accessToken, gustoTokenAad(companyUuid, 'access')),
    refreshToken: vault.seal(granted.refreshToken, gustoTokenAad(companyUuid, 'refresh')),
    expiresAt: new Date(now.getTime() + granted.expiresIn * 1000).toISOString(),
  };
}
