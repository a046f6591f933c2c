import { ApiError } from '../api-error';

const BASE = 'http://service.invalid';
const MAX_LENGTH = 512;

const hasControlCharacter = (text: string): boolean =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Where the browser may be sent back to after Gusto's consent: a same-origin path under /console, as it
 * stands after the URL parser has resolved any `..` or escapes. Anything else is undefined.
 */
export function consolePath(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return undefined;
  if (!/^\/console(?:[/?#]|$)/.test(raw) || raw.includes('\\') || hasControlCharacter(raw) || /%2e|%2f|%5c/i.test(raw))
    return undefined;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE || !(url.pathname === '/console' || url.pathname.startsWith('/console/'))) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The `returnTo` of the authorize route: absent, or a console path (else 400 naming the rule). */
export function returnToParam(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const path = consolePath(raw);
  if (!path)
    throw new ApiError(
      400,
      'invalid_return_to',
      'returnTo must be a path inside the console (starting /console/), on this service',
      ['returnTo: must be a same-origin path under /console/'],
    );
  return path;
}

/** The console path with the outcome added to its query (`gusto=connected`, or `gusto=failed&error=<code>`). */
export function withOutcome(path: string, outcome: Record<string, string>): string {
  const url = new URL(path, BASE);
  for (const [key, value] of Object.entries(outcome)) url.searchParams.set(key, value);
  return `${url.pathname}${url.search}${url.hash}`;
}
