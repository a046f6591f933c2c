import { createHash, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';

/** The console's session cookie (issue 16): httpOnly, SameSite=Strict, Path=/, Secure in production. */
export const SESSION_COOKIE = 'mlc_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value from the Cookie header, if any (no cookie-parser: one cookie is all we read). */
export function sessionCookieOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value || undefined;
    }
  }
  return undefined;
}

const options = (secure: boolean): CookieOptions => ({ httpOnly: true, sameSite: 'strict', path: '/', secure });

export function setSessionCookie(res: Response, value: string, expiresAt: Date, secure: boolean): void {
  res.cookie(SESSION_COOKIE, value, { ...options(secure), expires: expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, options(secure));
}

/** Reads that change nothing; everything else sent with the cookie must carry the CSRF header. */
export const isSafeMethod = (method: string): boolean => method === 'GET' || method === 'HEAD';

/** The request's X-CSRF-Token equals the session's token (compared in constant time). */
export function csrfMatches(req: Request, expected: string): boolean {
  const presented = req.headers[CSRF_HEADER];
  if (typeof presented !== 'string') return false;
  return timingSafeEqual(
    createHash('sha256').update(presented).digest(),
    createHash('sha256').update(expected).digest(),
  );
}
