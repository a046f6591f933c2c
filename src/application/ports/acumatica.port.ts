import type { Journal } from '../../domain/journal/journal';
import type { AcumaticaEmployeeRecord } from '../../domain/employee-mirror/record';

/** One connection's Acumatica tenant. Implemented over HTTP in adapters/outbound/acumatica. */
export const ACUMATICA = Symbol('ACUMATICA');

export type AcumaticaErrorKind =
  | 'rate_limited' // 429 (licence throttle); retryAfterMs when Acumatica sent Retry-After
  | 'unavailable' // 5xx, connection reset, response lost
  | 'timeout'
  | 'unauthorized' // credentials rejected after one re-authentication
  | 'endpoint_version_not_available' // 404 on the endpoint; message lists the versions offered
  | 'validation' // 422 or a 500 whose body names a business rule (closed period, inactive account, unbalanced)
  | 'not_found'
  | 'forbidden' // 403: the user's role may not use that entity (e.g. Subaccount with the Subaccounts feature off)
  | 'login_limit' // API login limit reached (cookie sessions)
  | 'bad_request'
  | 'not_sent'; // a write that could not leave before its `sendBy`: it was never sent, so it certainly did not happen

export class AcumaticaApiError extends Error {
  constructor(
    readonly kind: AcumaticaErrorKind,
    /** Acumatica's own words (exceptionMessage / field errors), joined. */
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** Field-level errors collected from a 422 body: "Details[2].Account: Account '99999' not found". */
    readonly details: string[] = [],
    readonly availableVersions?: string[],
  ) {
    super(message);
    this.name = 'AcumaticaApiError';
  }
  get retryable(): boolean {
    return (
      this.kind === 'rate_limited' ||
      this.kind === 'unavailable' ||
      this.kind === 'timeout' ||
      this.kind === 'login_limit' ||
      this.kind === 'not_sent'
    );
  }
}

export interface AcumaticaJournalRef {
  batchNbr: string;
  module: 'GL';
  /** "Balanced", "On Hold", "Unposted", "Posted", … */
  status: string;
  description: string;
}

export interface GlAccount {
  accountCD: string;
  active: boolean;
  description?: string;
  type?: string;
  /** For refreshing a cached chart by `LastModifiedDateTime gt …` (connections capability). */
  lastModifiedDateTime?: string;
}

export interface GlSubaccount {
  subaccountCD: string;
  active: boolean;
  description?: string;
  lastModifiedDateTime?: string;
}

/**
 * An Acumatica employee, unwrapped from the `{ value }` shape: the domain's record (one type, owned by the
 * employee mirror). `employeeId` is absent before creation (auto-numbered); `refNbr` is the Gusto employee uuid.
 */
export type AcumaticaEmployee = AcumaticaEmployeeRecord;

export interface AcumaticaApi {
  /** `$filter=Module eq 'GL' and substringof('[<tag>]',Description)` (closing bracket: generations apart); null when none. */
  findJournalByTag(connectionId: string, tag: string): Promise<AcumaticaJournalRef | null>;
  /**
   * PUT /JournalTransaction with Hold=false; amounts written as exact decimal literals. With `sendBy`, the PUT
   * (and any re-send after a 429 or a fresh sign-in) leaves before that instant or not at all (`not_sent`).
   */
  createJournal(connectionId: string, journal: Journal, options?: { sendBy?: Date }): Promise<AcumaticaJournalRef>;
  /** ReleaseJournalTransaction, polling its Location until done; returns the batch after release. */
  releaseJournal(connectionId: string, batchNbr: string): Promise<AcumaticaJournalRef>;
  /** `since` (ISO instant): only records changed after it (`LastModifiedDateTime gt datetimeoffset'…'`). */
  listAccounts(connectionId: string, since?: string): Promise<GlAccount[]>;
  listSubaccounts(connectionId: string, since?: string): Promise<GlSubaccount[]>;
  findEmployeeByRefNbr(connectionId: string, refNbr: string): Promise<AcumaticaEmployee | null>;
  findEmployeeByEmail(connectionId: string, email: string): Promise<AcumaticaEmployee | null>;
  /** PUT /Employee (create when employeeId is absent, update otherwise), $expand=EmploymentHistory,ContactInfo,EmployeeSettings. */
  putEmployee(connectionId: string, employee: AcumaticaEmployee): Promise<AcumaticaEmployee>;
}
