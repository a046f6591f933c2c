/**
 * What the logger hides. Keys: pino's `redact` paths (fast-redact), every name below at the top level and
 * up to three objects (or arrays) deep. Values: secrets we know by value (the admin token, a decrypted
 * password, an issued API key) can hide inside any string — a URL, an error message — so the finished
 * line is scrubbed of them, and of bearer tokens and URL credentials we were never told about.
 */
export const REDACTED = '[redacted]';

const SECRET_KEYS = [
  'password',
  'newPassword',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'clientSecret',
  'client_secret',
  'token',
  'tokens',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'verificationToken',
  'verification_token',
  'webhookVerificationToken',
  'configuredToken',
  'adminToken',
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
  'apiKey',
  'api_key',
  'api-key',
  'x-api-key',
  'encryptionKey',
  'previousEncryptionKeys',
  'privateKey',
  'private_key',
  'sealed',
  'credential',
  'credentials',
  'initialCredentials',
  'signature',
  'x-gusto-signature',
  'X-Gusto-Signature',
] as const;

const MAX_DEPTH = 3;
const segment = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`);

/** `password`, `*.password`, `*.*.password`, `*.*.*.password`, … for every secret key name. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) =>
  Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    const last = segment(key);
    const prefix = '*.'.repeat(depth);
    return last.startsWith('[') ? `${prefix.replace(/\.$/, '')}${last}` : `${prefix}${last}`;
  }),
);

/** A flag such as `{ tokenExpired: true }` or an absent value says nothing secret: only real values are hidden. */
export const censor = (value: unknown): unknown =>
  value === null || value === undefined || typeof value === 'boolean' ? value : REDACTED;

/** Cuts known secret values (as they appear inside a JSON string), bearer tokens and URL credentials out of a log line. */
export function scrubLine(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) {
    const inJson = JSON.stringify(secret).slice(1, -1);
    if (out.includes(inJson)) out = out.split(inJson).join(REDACTED);
  }
  // The character classes stop at `"` so a replacement never crosses from one JSON string into the next.
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${REDACTED}`)
    .replace(/(\/\/[^/:@\s"]+:)[^@/\s"]+@/g, `$1${REDACTED}@`);
}
