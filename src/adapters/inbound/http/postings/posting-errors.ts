import type { PostingError as DecisionError } from '../../../../domain/payroll-posting/decide';
import type { ConflictError } from '../../../../application/shared/command-handler';
import { AcumaticaApiError } from '../../../../application/ports/acumatica.port';
import { GustoApiError } from '../../../../application/ports/gusto.port';
import { ApiError } from '../api-error';
import { etagOf } from '../etag';

/** Why a posting command was refused: the decider's reasons, or the stream moved under it. */
export type PostingError = DecisionError | ConflictError;

const POSTING_MESSAGES: Record<PostingError, string> = {
  posting_not_found: 'no posting with this id',
  posting_cancelled: 'the payroll was cancelled in Gusto before it was posted: there is nothing to re-run',
  posting_reversed: 'the payroll was posted and then reversed: re-running it would post it again',
  not_at_this_step: 'the posting moved on while the request was handled; read it again',
  revision_mismatch: 'the posting changed since that version (If-Match)',
  write_conflict: 'the posting kept changing while the request was handled; try again',
};

/** Every refusal of the posting decider has a status here; a new one fails to compile until mapped. */
export function postingErrorStatus(error: PostingError): number {
  switch (error) {
    case 'posting_not_found':
      return 404;
    case 'posting_cancelled':
    case 'posting_reversed':
    case 'not_at_this_step':
    case 'write_conflict':
      return 409;
    case 'revision_mismatch':
      return 412;
    default: {
      const unmapped: never = error;
      return unmapped;
    }
  }
}

/** `current`: the stream's revision now, named in a revision_mismatch's message. */
export function postingApiError(error: PostingError, current?: bigint | 'no_stream'): ApiError {
  const message =
    error === 'revision_mismatch' && current !== undefined
      ? `${POSTING_MESSAGES[error]}: its current revision is ${etagOf(current)}`
      : POSTING_MESSAGES[error];
  return new ApiError(postingErrorStatus(error), error, message);
}

/** An outside system's error met while answering a request directly (the preview). */
export function outboundApiError(error: unknown): ApiError {
  if (error instanceof GustoApiError) {
    if (error.kind === 'not_found')
      return new ApiError(404, 'payroll_not_found', `Gusto does not know this payroll: ${error.message}`);
    if (error.kind === 'not_connected' || error.kind === 'needs_reauthorization')
      return new ApiError(409, `gusto_${error.kind}`, error.message);
    return new ApiError(502, 'gusto_unavailable', `Gusto could not be read: ${error.message}`);
  }
  if (error instanceof AcumaticaApiError) return new ApiError(502, 'acumatica_unavailable', error.message);
  throw error;
}
