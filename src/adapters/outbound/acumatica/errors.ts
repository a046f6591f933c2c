import type { AxiosResponse } from 'axios';
import { AcumaticaApiError } from '../../../application/ports/acumatica.port';
import { retryAfterMs as parseRetryAfter } from '../../../application/shared/backoff';
import { collectFieldErrors } from './values';

interface HttpErrorBody {
  message?: string;
  exceptionMessage?: string;
  exceptionType?: string;
  innerException?: HttpErrorBody;
  error?: string;
}

/** Acumatica's own words: exceptionMessage chain, or the entity-level error, or the raw text. */
export function acumaticaMessage(response: AxiosResponse): string {
  const body = response.data as unknown;
  if (typeof body === 'string') return body.trim().slice(0, 500) || `HTTP ${response.status}`;
  const parts: string[] = [];
  for (let e = body as HttpErrorBody | undefined; e && typeof e === 'object'; e = e.innerException) {
    const text = e.exceptionMessage ?? (typeof e.error === 'string' ? e.error : undefined) ?? e.message;
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(' — ') || `HTTP ${response.status}`;
}

const isLoginLimit = (response: AxiosResponse): boolean =>
  /API Login Limit/i.test(typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? ''));

export const retryAfterMs = (response: AxiosResponse): number | undefined =>
  parseRetryAfter(response.headers['retry-after']);

/** Maps a non-2xx answer to a typed error carrying Acumatica's message and every field error. */
export function toAcumaticaError(what: string, response: AxiosResponse): AcumaticaApiError {
  const status = response.status;
  const details = status === 422 || status === 400 || status === 500 ? collectFieldErrors(response.data) : [];
  const own = acumaticaMessage(response);
  const message = `${what}: ${details.length ? `${own} ${details.join('; ')}` : own}`;
  if (isLoginLimit(response)) return new AcumaticaApiError('login_limit', message, status, retryAfterMs(response));
  if (status === 429) return new AcumaticaApiError('rate_limited', message, status, retryAfterMs(response));
  if (status === 401) return new AcumaticaApiError('unauthorized', message, status);
  if (status === 403) return new AcumaticaApiError('forbidden', message, status);
  if (status === 404) return new AcumaticaApiError('not_found', message, status);
  if (status === 422) return new AcumaticaApiError('validation', message, status, undefined, details);
  if (status >= 500) {
    // A 500 that names a business rule is not going to pass on retry; a bare 500 might.
    const business =
      details.length > 0 ||
      /financial period|out of balance|inactive|cannot be found|Invalid credentials|company ID/i.test(own);
    return new AcumaticaApiError(
      business ? 'validation' : 'unavailable',
      message,
      status,
      retryAfterMs(response),
      details,
    );
  }
  return new AcumaticaApiError('bad_request', message, status, undefined, details);
}
