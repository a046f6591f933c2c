/**
 * Checks a JSON body's shape before anything parses it: strict UTF-8 and a bounded nesting depth.
 * `JSON.parse` itself recurses, and every later step (signature-free handshake detection, class-validator,
 * the store's own serialisation) walks what it built: a body nested 200,000 levels deep must be refused
 * here, in one linear pass over the bytes, not discovered as a stack overflow further in.
 */

/** Gusto's webhook bodies are flat (depth 1); the API's deepest body, a mapping, is 4. Generous, still tiny. */
export const MAX_JSON_DEPTH = 32;

export type JsonGuardFailure = { problem: 'not_utf8' } | { problem: 'too_deep'; maxDepth: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** The deepest `{`/`[` nesting outside strings, stopping as soon as it passes `limit`. */
export function exceedsDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or why it may not be parsed. A leading BOM is dropped, as TextDecoder does. */
export function guardedJsonText(
  bytes: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
): { ok: true; text: string } | ({ ok: false } & JsonGuardFailure) {
  if (exceedsDepth(bytes, maxDepth)) return { ok: false, problem: 'too_deep', maxDepth };
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, problem: 'not_utf8' };
  }
}

export const describeGuardFailure = (failure: JsonGuardFailure): string =>
  failure.problem === 'too_deep' ? `JSON nested deeper than ${failure.maxDepth} levels` : 'body is not valid UTF-8';
