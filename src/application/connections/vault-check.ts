import { WrongExpectedRevisionError, type EventStore } from '../ports/event-store.port';
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
 * worse, treats them as missing and asks everyone to re-enter them).
 * During a rotation the probe stays sealed by the old key on purpose: secrets sealed by it still live in
 * the log, so dropping the old key from MLC_ENCRYPTION_KEYS_PREVIOUS must keep failing the start until
 * they are re-sealed ('previous_key' tells the caller to warn).
 */
export async function verifyVaultKey(
  store: EventStore,
  vault: Vault,
  currentKeyId: string,
  at: Date,
): Promise<'sealed' | 'verified' | 'previous_key'> {
  const events = await store.readStream(VAULT_CHECK_STREAM);
  const seal = (): VaultCheckEvent => ({
    type: 'VaultCheckSealed',
    data: { probe: vault.seal(PROBE, VAULT_CHECK_STREAM) },
  });
  if (events.length === 0) {
    try {
      await store.append(
        VAULT_CHECK_STREAM,
        [{ ...seal(), metadata: { actor: 'system', at: at.toISOString() } }],
        'no_stream',
      );
      return 'sealed';
    } catch (error) {
      // Two processes starting on a fresh store at once: the other sealed first; verify against its probe.
      if (error instanceof WrongExpectedRevisionError) return verifyVaultKey(store, vault, currentKeyId, at);
      throw error;
    }
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
  return probe.keyId === currentKeyId ? 'verified' : 'previous_key';
}
