import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `mlc_<keyId>_<secret>`: keyId is 16 hex digits, the secret 32 random bytes in base64url (43 characters). */
const KEY_FORMAT = /^mlc_([0-9a-f]{16})_([A-Za-z0-9_-]{43,128})$/;

export const newKeyId = (): string => randomBytes(8).toString('hex');

export const newKeySecret = (keyId: string): string => `mlc_${keyId}_${randomBytes(32).toString('base64url')}`;

/** The key id a presented key names, or undefined when it does not look like one of ours. */
export const keyIdOf = (presented: string): string | undefined => KEY_FORMAT.exec(presented)?.[1];

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Constant-time comparison of a presented key with a stored hash. */
export function matchesHash(presented: string, storedSha256Hex: string): boolean {
  const given = createHash('sha256').update(presented, 'utf8').digest();
  const stored = Buffer.from(storedSha256Hex, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}
