import type { JournalBuildError } from '../../domain/journal/errors';
import type { BlockReason } from '../../domain/payroll-posting/events';
import { AcumaticaApiError } from '../ports/acumatica.port';
import { GustoApiError } from '../ports/gusto.port';

/**
 * Translates what went wrong into the words an accountant reads on the posting (lastError) and a named
 * code the API and tests can rely on. Kept in one place so the wording is consistent.
 */
export function reasonsFromBuild(errors: JournalBuildError[]): BlockReason[] {
  const reasons: BlockReason[] = [];
  const mismatches = errors.filter((e) => e.code === 'totals_mismatch');
  for (const e of errors) {
    switch (e.code) {
      case 'unmapped_component':
        reasons.push({
          code: 'unmapped_component',
          message: `No account is mapped for ${e.missingKeys.join('; ')}. Add the missing keys to the account mapping, then replay the posting.`,
          keys: e.missingKeys,
        });
        break;
      case 'totals_mismatch':
        break; // summarised below: one reason listing every figure
      case 'malformed_amount':
      case 'invalid_payroll':
        reasons.push({
          code: 'invalid_payroll',
          message: `The payroll from Gusto could not be read (${e.path}): ${e.message}.`,
          keys: [e.path],
        });
        break;
      case 'unbalanced':
        reasons.push({
          code: 'unbalanced_journal',
          message: `The journal does not balance (debits ${e.debit}, credits ${e.credit}); nothing was posted.`,
          details: [e.message],
        });
        break;
      default: {
        const unknown: never = e;
        reasons.push({ code: 'invalid_payroll', message: String((unknown as { message?: string }).message) });
      }
    }
  }
  if (mismatches.length > 0) {
    reasons.unshift({
      code: 'totals_mismatch',
      message: `Gusto's payroll totals do not agree with its own lines (${mismatches.map((m) => `${m.total}: Gusto ${m.gusto}, lines ${m.computed}`).join('; ')}). Nothing was posted; check the payroll in Gusto.`,
      keys: mismatches.map((m) => m.total),
      details: mismatches.map((m) => m.message),
    });
  }
  return reasons;
}

export const noMapping = (): BlockReason => ({
  code: 'no_mapping',
  message: 'This connection has no account mapping yet. Save one, then replay the posting.',
});

export const invalidMapping = (errors: string[]): BlockReason => ({
  code: 'invalid_mapping',
  message: `The saved account mapping is not valid: ${errors.join('; ')}.`,
  details: errors,
});

export interface ClassifiedFailure {
  retryable: boolean;
  /**
   * The request certainly was not carried out: Acumatica answered with a refusal (4xx, 422, 429, a business
   * rule) or it was never sent. False when it may have been (timeout, reset, 5xx, anything unexpected).
   */
  refused: boolean;
  error: string;
  errorKind?: string;
  retryAfterMs?: number;
  reason?: BlockReason;
}

const CLOSED_PERIOD = /financial period|period .*(closed|inactive|does not exist|not exist)|closed period/i;
const ACCOUNT_PROBLEM =
  /(account|subaccount|sub\.|branch|ledger).*(inactive|not found|does not exist|cannot be found|is not valid|invalid)|inactive.*account/i;

/** Classifies an error thrown by a port: transient (retry later) or permanent (needs attention, reason named). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof AcumaticaApiError) {
    const said = [error.message, ...error.details].filter(Boolean).join('; ');
    const refused = error.kind !== 'unavailable' && error.kind !== 'timeout';
    const base = { error: said || error.kind, errorKind: error.kind, retryAfterMs: error.retryAfterMs, refused };
    if (error.retryable) return { ...base, retryable: true };
    return { ...base, retryable: false, reason: acumaticaReason(error, said) };
  }
  if (error instanceof GustoApiError) {
    const base = {
      error: error.message || error.kind,
      errorKind: error.kind,
      retryAfterMs: error.retryAfterMs,
      refused: false,
    };
    if (error.retryable) return { ...base, retryable: true };
    return { ...base, retryable: false, reason: gustoReason(error) };
  }
  // Anything else (a bug, a dropped socket below the client) is treated as transient: retries are
  // bounded, and a stuck posting ends in needs_attention with the message kept.
  const message = error instanceof Error ? error.message : String(error);
  return { retryable: true, refused: false, error: message, errorKind: 'unexpected' };
}

function acumaticaReason(error: AcumaticaApiError, said: string): BlockReason {
  const details = error.details.length > 0 ? error.details : error.message ? [error.message] : undefined;
  switch (error.kind) {
    case 'unauthorized':
      return {
        code: 'bad_credentials',
        message:
          "Acumatica rejected the connector's credentials. Update the connection's Acumatica login, then replay the posting.",
        details,
      };
    case 'endpoint_version_not_available':
      return {
        code: 'endpoint_version',
        message: `The Acumatica instance does not offer the configured endpoint version${error.availableVersions?.length ? ` (it offers ${error.availableVersions.join(', ')})` : ''}. Fix the connection, then replay.`,
        details,
      };
    case 'validation':
    case 'bad_request':
    case 'not_found':
      if (CLOSED_PERIOD.test(said)) {
        return {
          code: 'closed_period',
          message: `Acumatica refused the journal because its financial period is closed or missing. Open the period (or adjust it), then replay the posting.`,
          details,
        };
      }
      if (ACCOUNT_PROBLEM.test(said)) {
        return {
          code: 'inactive_account',
          message: `Acumatica refused the journal because an account or subaccount is inactive or unknown: ${said}. Fix the account or the mapping, then replay.`,
          details,
        };
      }
      return { code: 'rejected_by_acumatica', message: `Acumatica refused the journal: ${said}.`, details };
    default:
      return { code: 'rejected_by_acumatica', message: `Acumatica refused the request: ${said}.`, details };
  }
}

function gustoReason(error: GustoApiError): BlockReason {
  switch (error.kind) {
    case 'not_connected':
      return {
        code: 'gusto_not_connected',
        message: 'This connection is not authorized in Gusto yet. Authorize it, then replay the posting.',
      };
    case 'needs_reauthorization':
      return {
        code: 'gusto_reauthorization_needed',
        message: "Gusto no longer accepts the connection's authorization. Authorize it again, then replay the posting.",
      };
    case 'not_found':
      return {
        code: 'payroll_not_found',
        message: 'Gusto does not know this payroll (or it is not visible to the connection).',
        details: [error.message],
      };
    default:
      return { code: 'invalid_payroll', message: `Gusto refused the request: ${error.message}.` };
  }
}
