import { ApiError } from '../api-error';
import type { ConnectionFailure } from '../../../../application/connections/results';

/** Every refusal of the connections capability has a status here; a new one fails to compile until mapped. */
export function statusOf(failure: ConnectionFailure): number {
  switch (failure) {
    case 'connection_not_found':
    case 'authorization_not_found':
      return 404;
    case 'authorization_started_by_another':
      return 403;
    case 'connection_exists':
    case 'company_already_connected':
    case 'gusto_company_mismatch':
    case 'write_conflict':
      return 409;
    case 'invalid_mapping':
    case 'authorization_state_unknown':
    case 'authorization_state_expired':
    case 'gusto_authorization_rejected':
    case 'acumatica_url_not_allowed':
      return 400;
    case 'mapping_accounts_invalid':
      return 422;
    case 'gusto_authorization_failed':
    case 'acumatica_unavailable':
      return 502;
    case 'gusto_not_configured':
      return 503;
    case 'revision_mismatch':
      return 412;
    default: {
      const unmapped: never = failure;
      return unmapped;
    }
  }
}

export function toApiError(outcome: { error: ConnectionFailure; message: string; details?: string[] }): ApiError {
  return new ApiError(statusOf(outcome.error), outcome.error, outcome.message, outcome.details);
}
