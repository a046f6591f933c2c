import type { OnApplicationShutdown } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import {
  AcumaticaApiError,
  type AcumaticaApi,
  type AcumaticaEmployee,
  type AcumaticaJournalRef,
  type GlAccount,
  type GlSubaccount,
} from '../../../application/ports/acumatica.port';
import type {
  AcumaticaProbe,
  AcumaticaProbeResult,
  AcumaticaSettingsSource,
} from '../../../application/connections/ports';
import type { AcumaticaBatchReader, BatchReadBack } from '../../../application/tie-out/ports';
import type { Journal } from '../../../domain/journal/journal';
import type { AcumaticaHttp } from './acumatica-http';
import { AcumaticaRequests } from './acumatica-requests';
import { employeeFromWire, employeeToWire } from './employee-wire';
import {
  ACCOUNT_SELECT,
  accountFromWire,
  batchReadBack,
  changedSince,
  JOURNAL_SELECT,
  journalRef,
  SUBACCOUNT_SELECT,
  subaccountFromWire,
} from './gl-wire';
import { journalBody } from './journal-body';
import type { AcumaticaSession } from './session';
import { odataString, type WireEntity } from './values';

export interface AcumaticaClientOptions {
  /** How often a running release is polled. */
  releasePollMs: number;
  /** Give up polling a release after this long (it may still finish; the next lookup finds it). */
  releaseTimeoutMs: number;
}

const EMPLOYEE_EXPAND = 'EmploymentHistory,ContactInfo,EmployeeSettings';

/**
 * Acumatica's contract-based REST API for every connection. Sessions are per connection and reused; a
 * posting costs one lookup and one PUT (plus the release and its polls when the mapping asks for it).
 */
export class AcumaticaApiClient implements AcumaticaApi, AcumaticaProbe, AcumaticaBatchReader, OnApplicationShutdown {
  private readonly requests: AcumaticaRequests;

  constructor(
    axios: AxiosInstance,
    private readonly http: AcumaticaHttp,
    settings: AcumaticaSettingsSource,
    private readonly options: AcumaticaClientOptions,
  ) {
    this.requests = new AcumaticaRequests(axios, http, settings);
  }

  async findJournalByTag(connectionId: string, tag: string): Promise<AcumaticaJournalRef | null> {
    // With the closing bracket: `[gusto:<uuid>]` must not find `[gusto:<uuid>/2]` (a later generation).
    const filter = `Module eq 'GL' and substringof(${odataString(`[${tag}]`)},Description)`;
    const rows = await this.requests.list(connectionId, {
      method: 'GET',
      path: 'JournalTransaction',
      params: { $filter: filter, $select: JOURNAL_SELECT },
      what: `looking up journal ${tag}`,
    });
    return rows.length ? journalRef(rows[0]) : null;
  }

  async createJournal(
    connectionId: string,
    journal: Journal,
    options: { sendBy?: Date } = {},
  ): Promise<AcumaticaJournalRef> {
    const session = await this.requests.session(connectionId);
    const body = journalBody(journal, { branch: session.settings.branch });
    const response = await this.requests.call(session, {
      method: 'PUT',
      path: 'JournalTransaction',
      body,
      what: `creating journal ${journal.tag}`,
      sendBy: options.sendBy?.getTime(),
    });
    return journalRef(response as WireEntity);
  }

  /**
   * The tie-out's read-back: the GL batch with its lines, the debit and credit totals summed from them
   * (Debit/Credit Total are not in the Default contract). Null when Acumatica has no such batch.
   */
  async readBatch(connectionId: string, batchNbr: string): Promise<BatchReadBack | null> {
    const session = await this.requests.session(connectionId);
    const path = `JournalTransaction/GL/${encodeURIComponent(batchNbr)}`;
    let batch: WireEntity;
    try {
      batch = (
        await this.http.send(session, {
          method: 'GET',
          path,
          params: { $expand: 'Details' },
          what: `reading batch ${batchNbr}`,
        })
      ).data as WireEntity;
    } catch (error) {
      if (error instanceof AcumaticaApiError && error.kind === 'not_found') return null;
      throw error;
    }
    return batchReadBack(batch, batchNbr);
  }

  /** The release and its polls run alone in the session: Acumatica would refuse anything else meanwhile. */
  async releaseJournal(connectionId: string, batchNbr: string): Promise<AcumaticaJournalRef> {
    const session = await this.requests.session(connectionId);
    const what = `releasing batch ${batchNbr}`;
    const body = JSON.stringify({ entity: { Module: { value: 'GL' }, BatchNbr: { value: batchNbr } }, parameters: {} });
    return session.exclusively(async () => {
      const started = await this.http.send(
        session,
        { method: 'POST', path: 'JournalTransaction/ReleaseJournalTransaction', body, what, withinAction: true },
        (s) => s === 202 || s === 204,
      );
      const location = started.headers['location'] as string | undefined;
      if (started.status === 202 && location)
        await this.pollAction(session, new URL(location, `${session.settings.baseUrl}/`).toString(), what);
      const path = `JournalTransaction/GL/${encodeURIComponent(batchNbr)}`;
      const batch = await this.requests.call(session, {
        method: 'GET',
        path,
        params: { $select: JOURNAL_SELECT },
        what,
        withinAction: true,
      });
      return journalRef(batch as WireEntity);
    });
  }

  private async pollAction(session: AcumaticaSession, url: string, what: string): Promise<void> {
    const giveUpAt = Date.now() + this.options.releaseTimeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, this.options.releasePollMs));
      const poll = await this.http.send(
        session,
        { method: 'GET', path: url, what: `${what} (status)`, withinAction: true },
        (s) => s === 200 || s === 202 || s === 204,
      );
      if (poll.status !== 202) return;
      if (Date.now() > giveUpAt)
        throw new AcumaticaApiError('timeout', `${what}: still running after ${this.options.releaseTimeoutMs} ms`);
    }
  }

  /** `since`: only accounts changed after this instant (ISO), for refreshing a cached chart of accounts. */
  async listAccounts(connectionId: string, since?: string): Promise<GlAccount[]> {
    const rows = await this.chartRows(connectionId, 'Account', ACCOUNT_SELECT, since, 'reading the chart of accounts');
    return rows.map(accountFromWire);
  }

  async listSubaccounts(connectionId: string, since?: string): Promise<GlSubaccount[]> {
    const rows = await this.chartRows(connectionId, 'Subaccount', SUBACCOUNT_SELECT, since, 'reading the subaccounts');
    return rows.map(subaccountFromWire);
  }

  private chartRows(connectionId: string, path: string, select: string, since: string | undefined, what: string) {
    return this.requests.list(connectionId, { method: 'GET', path, params: changedSince(select, since), what });
  }

  async findEmployeeByRefNbr(connectionId: string, refNbr: string): Promise<AcumaticaEmployee | null> {
    return this.findEmployee(connectionId, `EmployeeSettings/EmployeeRefNbr eq ${odataString(refNbr)}`);
  }

  async findEmployeeByEmail(connectionId: string, email: string): Promise<AcumaticaEmployee | null> {
    return this.findEmployee(connectionId, `ContactInfo/Email eq ${odataString(email)}`);
  }

  async putEmployee(connectionId: string, employee: AcumaticaEmployee): Promise<AcumaticaEmployee> {
    const session = await this.requests.session(connectionId);
    const body = JSON.stringify(employeeToWire(employee));
    const saved = await this.requests.call(session, {
      method: 'PUT',
      path: 'Employee',
      params: { $expand: EMPLOYEE_EXPAND },
      body,
      what: `saving employee ${employee.refNbr ?? employee.employeeId ?? ''}`.trim(),
    });
    return employeeFromWire(saved as WireEntity);
  }

  /**
   * One authenticated read (`GET Account?$top=1&$select=AccountCD`, an entity the connector reads anyway):
   * proves the instance answers, the endpoint version is served AND our credentials are accepted now. A
   * refused token gets one fresh sign-in (AcumaticaHttp); refused again → kind 'unauthorized'. A 404 is
   * checked against `GET /entity` to name the versions offered. Warm token: 1 call; cold: 2 (token + read).
   */
  async probe(connectionId: string): Promise<AcumaticaProbeResult> {
    let endpointVersion = '';
    try {
      const session = await this.requests.session(connectionId);
      endpointVersion = session.settings.endpointVersion;
      await this.requests.call(session, {
        method: 'GET',
        path: 'Account',
        params: { $top: '1', $select: 'AccountCD' },
        what: 'reading one account (ping)',
      });
      return { ok: true, endpointVersion };
    } catch (error) {
      if (!(error instanceof AcumaticaApiError)) return { ok: false, endpointVersion, error: (error as Error).message };
      return {
        ok: false,
        endpointVersion,
        ...(error.availableVersions ? { availableVersions: error.availableVersions } : {}),
        error: error.message,
        errorKind: error.kind,
      };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.requests.closeAll();
  }

  private async findEmployee(connectionId: string, filter: string): Promise<AcumaticaEmployee | null> {
    const rows = await this.requests.list(connectionId, {
      method: 'GET',
      path: 'Employee',
      params: { $filter: filter, $expand: EMPLOYEE_EXPAND },
      what: 'looking up an employee',
    });
    return rows.length ? employeeFromWire(rows[0]) : null;
  }
}
