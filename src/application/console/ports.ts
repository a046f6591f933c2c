/**
 * What the console's reads need beyond the v1 ports (issue 16). Implemented in adapters/outbound and
 * bound in modules/console.module.ts.
 */
import type { GustoPayrollSummary } from '../../domain/payroll/gusto-payroll';

export const GUSTO_PAYROLL_DIRECTORY = Symbol('GUSTO_PAYROLL_DIRECTORY');

/** A company's recent payrolls as Gusto lists them (read-only GETs). Throws GustoApiError. */
export interface GustoPayrollDirectory {
  /**
   * Regular and off-cycle payrolls, processed or not, whose pay period falls in [startDate, endDate]
   * (YYYY-MM-DD), newest first, at most `limit` (1–100).
   */
  listRecentPayrolls(
    connectionId: string,
    query: { limit: number; startDate: string; endDate: string },
  ): Promise<GustoPayrollSummary[]>;
}

export const ACUMATICA_ENDPOINT_DIRECTORY = Symbol('ACUMATICA_ENDPOINT_DIRECTORY');

export interface AcumaticaEndpoint {
  name: string;
  version: string;
}

export type EndpointDirectoryErrorKind = 'unreachable' | 'bad_answer';

export class EndpointDirectoryError extends Error {
  constructor(
    readonly kind: EndpointDirectoryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EndpointDirectoryError';
  }
}

/** `GET {baseUrl}/entity` (no sign-in: the built-in endpoints). Throws EndpointDirectoryError. */
export interface AcumaticaEndpointDirectory {
  endpoints(baseUrl: string): Promise<{ endpoints: AcumaticaEndpoint[]; buildVersion?: string }>;
}

/** The posting of a payroll as the postings read model knows it, or null when it was never posted. */
export type PostingLookup = (
  connectionId: string,
  payrollUuid: string,
) => Promise<{ id: string; status: string } | null>;
