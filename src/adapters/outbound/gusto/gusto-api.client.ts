import type { AxiosInstance, AxiosResponse } from 'axios';
import type { GustoTokenSource } from '../../../application/connections/ports';
import type { Connections } from '../../../application/ports/connections.port';
import { GustoApiError, type GustoApi, type ListPayrollsQuery } from '../../../application/ports/gusto.port';
import type { GustoPayrollDirectory } from '../../../application/console/ports';
import type { GustoEmployee, GustoPayroll, GustoPayrollSummary } from '../../../domain/payroll/gusto-payroll';
import { errorFor, getWithRetry, type GustoHttpOptions } from './gusto-http';
import { required } from '../../../domain/shared/required';

const MAX_PER = 100; // Gusto's cap for payroll endpoints; also used for employees (reference §6.2)
// `reversals` adds reversal_payroll_uuids, which payroll.reversed handling needs (reference §4.1).
// payroll_status_meta: expected_debit_time, the withdrawals' date named in bank-mode cash-line memos (issue 14).
const PAYROLL_INCLUDE = 'benefits,deductions,taxes,totals,payroll_taxes,reversals,payroll_status_meta';

/**
 * Read-only Gusto client for one connection's company. Every call: a valid token from the token source
 * (refreshed single-flight); a 401 on a token believed valid triggers that same refresh and one retry.
 */
export class GustoApiClient implements GustoApi, GustoPayrollDirectory {
  constructor(
    private readonly http: AxiosInstance,
    private readonly connections: Connections,
    private readonly tokens: GustoTokenSource,
    private readonly options: GustoHttpOptions,
  ) {
    this.per = Math.min(MAX_PER, Math.max(1, options.pageSize ?? MAX_PER));
  }

  private readonly per: number;

  /**
   * Calls: ⌈compensations/per⌉ payroll pages + ⌈employees/per⌉ employee pages (per = 100 by default) (one employees list per
   * payroll read, for each employee's current department — Gusto keeps no department history).
   */
  async getPayroll(connectionId: string, payrollUuid: string): Promise<GustoPayroll> {
    const company = await this.companyOf(connectionId);
    const path = `/v1/companies/${enc(company)}/payrolls/${enc(payrollUuid)}`;
    // The employees list (for departments) does not depend on the payroll: ask for it at the same time
    // (one round trip less per posting). A payroll error still wins: it is awaited first, and the
    // list's own failure is then left unobserved on purpose.
    const employees = this.listEmployees(connectionId);
    employees.catch(() => undefined);
    let first: GustoPayroll | undefined;
    const compensations: GustoPayroll['employee_compensations'] = [];
    for (let page = 1; ; page++) {
      const response = await this.get(company, path, { include: PAYROLL_INCLUDE, page, per: this.per });
      const body = response.data as GustoPayroll;
      first ??= body;
      const items = body.employee_compensations ?? [];
      compensations.push(...items);
      if (!hasMore(response, page, items.length, this.per)) break;
    }
    const departments = new Map((await employees).map((e) => [e.uuid, e.department ?? null]));
    return {
      ...required(first, 'the first payroll page'),
      employee_compensations: compensations.map((c) => ({
        ...c,
        department: departments.get(c.employee_uuid) ?? null,
      })),
    };
  }

  async listProcessedPayrolls(connectionId: string, query: ListPayrollsQuery = {}): Promise<GustoPayrollSummary[]> {
    const company = await this.companyOf(connectionId);
    const params: Record<string, unknown> = {
      processing_statuses: 'processed',
      payroll_types: 'regular,off_cycle',
      include: 'totals',
    };
    if (query.startDate || query.endDate) params.date_filter_by = 'check_date';
    if (query.startDate) params.start_date = query.startDate;
    if (query.endDate) params.end_date = query.endDate;
    return this.allPages<GustoPayrollSummary>(company, `/v1/companies/${enc(company)}/payrolls`, params);
  }

  /** The console's list (issue 16): one page, processed or not, by pay period in the window, newest first. */
  async listRecentPayrolls(
    connectionId: string,
    query: { limit: number; startDate: string; endDate: string },
  ): Promise<GustoPayrollSummary[]> {
    const company = await this.companyOf(connectionId);
    const params = {
      processing_statuses: 'processed,unprocessed',
      payroll_types: 'regular,off_cycle',
      start_date: query.startDate,
      end_date: query.endDate,
      sort_order: 'desc',
      page: 1,
      per: Math.min(MAX_PER, Math.max(1, query.limit)),
    };
    const response = await this.get(company, `/v1/companies/${enc(company)}/payrolls`, params);
    return Array.isArray(response.data) ? (response.data as GustoPayrollSummary[]) : [];
  }

  async getEmployee(connectionId: string, employeeUuid: string): Promise<GustoEmployee> {
    const company = await this.companyOf(connectionId);
    return (await this.get(company, `/v1/employees/${enc(employeeUuid)}`)).data as GustoEmployee;
  }

  async listEmployees(connectionId: string): Promise<GustoEmployee[]> {
    const company = await this.companyOf(connectionId);
    return this.allPages<GustoEmployee>(company, `/v1/companies/${enc(company)}/employees`, {});
  }

  /** Refuses without a network call when the connection cannot talk to Gusto: no retry storm on a dead grant. */
  private async companyOf(connectionId: string): Promise<string> {
    const connection = await this.connections.get(connectionId);
    if (!connection) throw new GustoApiError('not_found', `no connection ${connectionId}`);
    if (connection.gustoStatus === 'needs_reauthorization') {
      throw new GustoApiError(
        'needs_reauthorization',
        `connection ${connectionId} must be authorized with Gusto again`,
      );
    }
    if (!connection.gustoCompanyUuid)
      throw new GustoApiError('not_connected', `connection ${connectionId} is not authorized with Gusto yet`);
    return connection.gustoCompanyUuid;
  }

  private async allPages<T>(company: string, path: string, params: Record<string, unknown>): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const response = await this.get(company, path, { ...params, page, per: this.per });
      const items = Array.isArray(response.data) ? (response.data as T[]) : [];
      all.push(...items);
      if (!hasMore(response, page, items.length, this.per)) return all;
    }
  }

  private async get(company: string, path: string, params?: Record<string, unknown>): Promise<AxiosResponse> {
    let token = await this.tokens.accessToken(company);
    let response = await getWithRetry(
      this.http,
      path,
      params,
      { Authorization: `Bearer ${token.accessToken}` },
      this.options,
    );
    if (response.status === 401) {
      token = await this.tokens.accessToken(company, token.generation);
      response = await getWithRetry(
        this.http,
        path,
        params,
        { Authorization: `Bearer ${token.accessToken}` },
        this.options,
      );
      if (response.status === 401)
        throw new GustoApiError('unavailable', `GET ${path}: Gusto rejected a freshly refreshed token`, 401);
    }
    if (response.status >= 300) throw errorFor(path, response);
    return response;
  }
}

/** Trust X-Total-Pages when sent; otherwise continue while pages come back full (what Gusto's CLI does). */
function hasMore(response: AxiosResponse, page: number, count: number, per: number): boolean {
  const total = Number(response.headers['x-total-pages']);
  if (Number.isFinite(total) && total > 0) return page < total;
  return count >= per;
}

const enc = encodeURIComponent;
