import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Gusto's signature: lowercase hex HMAC-SHA256 of the raw body bytes, keyed by the verification token. */
export function signBody(rawBody: Buffer, key: string): string {
  return createHmac('sha256', key).update(rawBody).digest('hex');
}

/**
 * True when `header` is the signature of `rawBody` under `key`. The comparison is constant-time over
 * equal-length buffers; a header of the wrong length or not hex is just a mismatch (and costs the same
 * HMAC, so timing does not tell the two apart).
 */
export function signatureMatches(rawBody: Buffer, header: string | undefined, key: string): boolean {
  const expected = createHmac('sha256', key).update(rawBody).digest();
  const given = typeof header === 'string' ? header.trim() : '';
  // Decode only a well-formed digest: Buffer.from(hex) silently stops at the first bad character.
  const candidate = HEX_SHA256.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(expected.length);
  const equal = timingSafeEqual(candidate, expected);
  return equal && HEX_SHA256.test(given);
}

/** Tries every key: the operator's configured token and the one adopted from the handshake may differ. */
export function signatureMatchesAny(rawBody: Buffer, header: string | undefined, keys: readonly string[]): boolean {
  let matched = false;
  for (const key of keys) matched = signatureMatches(rawBody, header, key) || matched;
  return matched;
}
