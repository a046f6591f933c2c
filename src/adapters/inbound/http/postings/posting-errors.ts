import type { PostingError } from '../../../../domain/payroll-posting/decide';
import { AcumaticaApiError } from '../../../../application/ports/acumatica.port';
import { GustoApiError } from '../../../../application/ports/gusto.port';
import { ApiError } from '../api-error';

const POSTING_MESSAGES: Record<PostingError, string> = {
  posting_not_found: 'no posting with this id',
  posting_cancelled: 'the payroll was cancelled in Gusto before it was posted: there is nothing to re-run',
  posting_reversed: 'the payroll was posted and then reversed: re-running it would post it again',
  not_at_this_step: 'the posting moved on while the request was handled; read it again',
};

/** Every refusal of the posting decider has a status here; a new one fails to compile until mapped. */
export function postingErrorStatus(error: PostingError): number {
  switch (error) {
    case 'posting_not_found':
      return 404;
    case 'posting_cancelled':
    case 'posting_reversed':
    case 'not_at_this_step':
      return 409;
    default: {
      const unmapped: never = error;
      return unmapped;
    }
  }
}

export const postingApiError = (error: PostingError): ApiError => new ApiError(postingErrorStatus(error), error, POSTING_MESSAGES[error]);

/** An outside system's error met while answering a request directly (the preview). */
export function outboundApiError(error: unknown): ApiError {
  if (error instanceof GustoApiError) {
    if (error.kind === 'not_found') return new ApiError(404, 'payroll_not_found', `Gusto does not know this payroll: ${error.message}`);
    if (error.kind === 'not_connected' || error.kind === 'needs_reauthorization') return new ApiError(409, `gusto_${error.kind}`, error.message);
    return new ApiError(502, 'gusto_unavailable', `Gusto could not be read: ${error.message}`);
  }
  if (error instanceof AcumaticaApiError) return new ApiError(502, 'acumatica_unavailable', error.message);
  throw error;
}
