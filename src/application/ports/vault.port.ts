/** Encrypted storage for credentials (Gusto tokens, Acumatica secrets). AES-256-GCM with a key id. */
export const VAULT = Symbol('VAULT');

export interface SealedSecret {
  /** Which key sealed it: lets keys rotate. */
  keyId: string;
  /** base64(iv | ciphertext | tag). */
  sealed: string;
}

export interface Vault {
  seal(plaintext: string, associatedData: string): SealedSecret;
  /** Throws when the key is unknown or the data was tampered with; never returns garbage. */
  open(secret: SealedSecret, associatedData: string): string;
}
