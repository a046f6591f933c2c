import type { EventStore } from '../ports/event-store.port';
import type { SealedSecret, Vault } from '../ports/vault.port';

export const VAULT_CHECK_STREAM = 'vault-check';
const PROBE = 'ml-connector vault check';

export class VaultKeyMismatchError extends Error {
  constructor(detail: string) {
    super(
      `MLC_ENCRYPTION_KEY cannot open the credentials already stored in this event store (${detail}). ` +
        'Start with the key that sealed them, or put that key in MLC_ENCRYPTION_KEYS_PREVIOUS while rotating. Nothing was changed.',
    );
    this.name = 'VaultKeyMismatchError';
  }
}

type VaultCheckEvent = { type: 'VaultCheckSealed'; data: { probe: SealedSecret } };

/**
 * At every start: the first start seals a known probe; later starts must open it. A wrong key is then a
 * start-up error naming the problem, instead of a service that silently can't read any credential (or,
 * worse, treats them as missing and asks everyone to re-enter them). After a rotation the probe is
 * re-sealed with the new key, so the previous key can later be dropped.
 */
export async function verifyVaultKey(store: EventStore, vault: Vault, currentKeyId: string, at: Date): Promise<'sealed' | 'verified' | 'rotated'> {
  const events = await store.readStream(VAULT_CHECK_STREAM);
  const seal = (): VaultCheckEvent => ({ type: 'VaultCheckSealed', data: { probe: vault.seal(PROBE, VAULT_CHECK_STREAM) } });
  if (events.length === 0) {
    await store.append(VAULT_CHECK_STREAM, [{ ...seal(), metadata: { actor: 'system', at: at.toISOString() } }], 'no_stream');
    return 'sealed';
  }
  const last = events[events.length - 1];
  const probe = (last.data as VaultCheckEvent['data']).probe;
  let opened: string;
  try {
    opened = vault.open(probe, VAULT_CHECK_STREAM);
  } catch (error) {
    throw new VaultKeyMismatchError((error as Error).message);
  }
  if (opened !== PROBE) throw new VaultKeyMismatchError('the probe opened to an unexpected value');
  if (probe.keyId === currentKeyId) return 'verified';
  // Rotation: another process may re-seal at the same moment; losing that race is fine.
  await store.append(VAULT_CHECK_STREAM, [{ ...seal(), metadata: { actor: 'system', at: at.toISOString() } }], last.revision).catch(() => undefined);
  return 'rotated';
}
