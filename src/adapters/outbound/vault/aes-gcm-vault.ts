import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedSecret, Vault } from '../../../application/ports/vault.port';

const IV_BYTES = 12; // the GCM standard nonce size: random per seal, so one key may seal ~2^32 secrets safely
const TAG_BYTES = 16;

export class VaultError extends Error {
  constructor(
    readonly code: 'unknown_key' | 'tampered' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export interface VaultKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM. The associated data binds a ciphertext to where it belongs (e.g. "connection-<id>:password"),
 * so a sealed value copied into another connection's event does not open there.
 * Seals with the current key; opens with the current key or any previous one, which is how keys rotate.
 */
export class AesGcmVault implements Vault {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly current: VaultKey,
    previous: readonly VaultKey[] = [],
  ) {
    if (current.key.length !== 32) throw new VaultError('malformed', 'the encryption key must be 32 bytes');
    for (const k of previous) this.keys.set(k.id, k.key);
    this.keys.set(current.id, current.key);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  knowsKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.current.id, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64') };
  }

  open(secret: SealedSecret, associatedData: string): string {
    const key = this.keys.get(secret.keyId);
    if (!key) {
      throw new VaultError(
        'unknown_key',
        `secret sealed with key ${secret.keyId}, which is neither MLC_ENCRYPTION_KEY nor one of MLC_ENCRYPTION_KEYS_PREVIOUS`,
      );
    }
    const raw = Buffer.from(secret.sealed, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new VaultError('malformed', 'sealed secret is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // Never return garbage: a wrong key under a reused id, a flipped bit or a mismatched context all land here.
      throw new VaultError(
        'tampered',
        `sealed secret (key ${secret.keyId}) failed authentication: wrong key, wrong context or altered data`,
      );
    }
  }
}
