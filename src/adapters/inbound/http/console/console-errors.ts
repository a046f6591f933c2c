import type { ConsoleOutcome, ConsoleReadFailure } from '../../../../application/console/results';
import { ApiError } from '../api-error';

/** Every refusal of the console's reads has a status here; a new one fails to compile until mapped. */
export function statusOf(failure: ConsoleReadFailure): number {
  switch (failure) {
    case 'connection_not_found':
      return 404;
    case 'acumatica_url_not_allowed':
      return 400;
    case 'gusto_not_connected':
    case 'gusto_needs_reauthorization':
      return 409;
    case 'acumatica_authentication_failed':
    case 'acumatica_endpoint_version_not_available':
    case 'acumatica_unavailable':
    case 'gusto_unavailable':
      return 502;
    default: {
      const unmapped: never = failure;
      return unmapped;
    }
  }
}

export const consoleApiError = (outcome: { error: ConsoleReadFailure; message: string; details?: unknown }): ApiError =>
  new ApiError(statusOf(outcome.error), outcome.error, outcome.message, outcome.details);

/** The value of a console read, or its refusal thrown as the API error. */
export function consoleValue<T>(outcome: ConsoleOutcome<T>): T {
  if (!outcome.ok) throw consoleApiError(outcome);
  return outcome.value;
}
