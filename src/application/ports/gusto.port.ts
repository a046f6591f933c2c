import type { GustoEmployee, GustoPayroll, GustoPayrollSummary } from '../../domain/payroll/gusto-payroll';

/** Read-only access to one connection's Gusto company. Implemented over HTTP in adapters/outbound/gusto. */
export const GUSTO = Symbol('GUSTO');

export type GustoErrorKind =
  | 'rate_limited' // 429; retryAfterMs set
  | 'unavailable' // 5xx or connection reset
  | 'timeout'
  | 'not_found'
  | 'not_connected' // the connection has no Gusto authorization yet
  | 'needs_reauthorization' // refresh token rejected (invalid_grant): a person must authorize again
  | 'bad_request'
  | 'invalid_api_version'
  | 'too_large'; // the answer was over the size cap for its kind of call (not retried: it would be again)

export class GustoApiError extends Error {
  constructor(
    readonly kind: GustoErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'GustoApiError';
  }
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

export interface ListPayrollsQuery {
  /** YYYY-MM-DD, inclusive, by check date. */
  startDate?: string;
  endDate?: string;
}

export interface GustoApi {
  /** The payroll with every page of employee_compensations merged, taxes/benefits/deductions/totals included. */
  getPayroll(connectionId: string, payrollUuid: string): Promise<GustoPayroll>;
  /** Processed payrolls of types regular and off_cycle, include=totals, every page; external ones included (caller skips). */
  listProcessedPayrolls(connectionId: string, query?: ListPayrollsQuery): Promise<GustoPayrollSummary[]>;
  getEmployee(connectionId: string, employeeUuid: string): Promise<GustoEmployee>;
  /** Every employee, terminated included, every page. */
  listEmployees(connectionId: string): Promise<GustoEmployee[]>;
}
