/**
 * Everything a test can turn. Items the reference marks UNCONFIRMED are knobs, defaulting to the
 * reference's "expected" reading, so a test can prove the connector survives the other reading too.
 */

export type FaultStatus = number | 'timeout';

export interface PendingFault {
  pattern: string | RegExp;
  remaining: number;
  status: FaultStatus;
}

export interface WebhookKnobs {
  /** Extra copies of every event delivery (at-least-once). */
  duplicates: number;
  /** Real-time delay before a delivery batch is sent. */
  delayMs: number;
  /** Deliver each batch of events (emitted in the same tick) in reverse order. */
  reorder: boolean;
  /** Retries after the first attempt on non-2xx / network error (reference: up to 16). */
  maxRetries: number;
  /** First retry delay in real ms; doubles per retry (capped at 30 s). */
  retryBaseMs: number;
  /** UNCONFIRMED §3.2: signature encoding. */
  signatureEncoding: 'hex' | 'base64';
  /** UNCONFIRMED §9.2: whether the verification-token POST carries X-Gusto-Signature. */
  signVerificationRequest: boolean;
}

export interface SandboxKnobs {
  /** /oauth/authorize answers error=access_denied. */
  denyAuthorization: boolean;
  /** Real-time delay added before every answer. */
  latencyMs: number;
  webhook: WebhookKnobs;
  /** UNCONFIRMED §2.3: status of invalid_grant (400 expected; 401 possible). */
  invalidGrantStatus: 400 | 401;
  /** UNCONFIRMED §6.2: default page size of the payroll list under 2026-06-15. */
  payrollListDefaultPer: number;
  /** UNCONFIRMED §6.2: per cap on the employee list. */
  employeesMaxPer: number;
  /** UNCONFIRMED §4.2: totals/company_taxes repeated on every page of a paginated payroll (else page 1 only). */
  totalsOnEveryPage: boolean;
  /** UNCONFIRMED §4.7: sign of amounts on a reversal payroll. */
  reversalSign: 'negative' | 'positive';
  /** UNCONFIRMED §5.3: `terminated` true from the creation of a future-dated termination, or only once effective. */
  terminatedFlag: 'on_create' | 'on_effective';
  /** UNCONFIRMED §9.9: PTO pay of hourly staff is in gross_pay with no earning line ('residual') or unpaid ('none'). */
  hourlyPtoPay: 'residual' | 'none';
  /** Whether reversing a payroll also emits payroll.processed for the new Reversal payroll. */
  reversalEmitsProcessed: boolean;
  /** The application's "Default API version" (used when the header is absent; older versions → 406). */
  defaultApiVersion: string;
  /** Inject failures: the next `count` requests whose path matches answer `status` (or never answer). */
  failNext(pattern: string | RegExp, count: number, status: FaultStatus): void;
}

export const createKnobs = (faults: PendingFault[]): SandboxKnobs => ({
  denyAuthorization: false,
  latencyMs: 0,
  webhook: {
    duplicates: 0,
    delayMs: 0,
    reorder: false,
    maxRetries: 16,
    retryBaseMs: 50,
    signatureEncoding: 'hex',
    signVerificationRequest: true,
  },
  invalidGrantStatus: 400,
  payrollListDefaultPer: 25,
  employeesMaxPer: 100,
  totalsOnEveryPage: true,
  reversalSign: 'negative',
  terminatedFlag: 'on_create',
  hourlyPtoPay: 'residual',
  reversalEmitsProcessed: false,
  defaultApiVersion: '2025-11-15',
  failNext(pattern, count, status) {
    faults.push({ pattern, remaining: count, status });
  },
});

/** A string pattern matches as a substring of the path, `*` matching any run of characters. */
export const matchesPath = (pattern: string | RegExp, path: string): boolean => {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (!pattern.includes('*')) return path.includes(pattern);
  const re = new RegExp(
    pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return re.test(path);
};

/** Applies a knob patch from JSON (HTTP scenario route); unknown keys are ignored. */
export const patchKnobs = (knobs: SandboxKnobs, patch: Record<string, unknown>): void => {
  const target = knobs as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'failNext' || !(key in target)) continue;
    if (key === 'webhook' && value && typeof value === 'object') Object.assign(knobs.webhook, value);
    else target[key] = value;
  }
};
