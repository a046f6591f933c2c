/** Keys whose values are secrets wherever they appear in a logged object. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|encryption|private|sealed|credential|signature/i;

export const REDACTED = '[redacted]';

/**
 * Returns a copy safe to log: secret-looking keys are blanked and any registered secret value is cut out
 * of every string (a token can hide inside a URL or an error message).
 */
export function redact(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return scrub(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    return { name: value.name, message: scrub(value.message, secrets), stack: value.stack ? scrub(value.stack, secrets) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redact(v, secrets, depth + 1);
    }
    return out;
  }
  return value;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  // Bearer tokens and basic credentials in URLs, even ones we were never told about.
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${REDACTED}`).replace(/(\/\/[^/:@\s]+:)[^@/\s]+@/g, `$1${REDACTED}@`);
}
