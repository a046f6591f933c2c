import { createHash } from 'node:crypto';
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
import { centsOrNaN, formatCents } from '../../../domain/money';
import type { Journal } from '../../../domain/journal/journal';
import { AcumaticaHttp, type AcumaticaRequest } from './acumatica-http';
import { employeeFromWire, employeeToWire } from './employee-wire';
import { journalBody } from './journal-body';
import { AcumaticaSession } from './session';
import { bool, odataString, str, value, type WireEntity } from './values';

export interface AcumaticaClientOptions {
  /** How often a running release is polled. */
  releasePollMs: number;
  /** Give up polling a release after this long (it may still finish; the next lookup finds it). */
  releaseTimeoutMs: number;
}

const JOURNAL_SELECT = 'BatchNbr,Module,Status,Description';
const EMPLOYEE_EXPAND = 'EmploymentHistory,ContactInfo,EmployeeSettings';

/**
 * Acumatica's contract-based REST API for every connection. Sessions are per connection and reused; a
 * posting costs one lookup and one PUT (plus the release and its polls when the mapping asks for it).
 */
export class AcumaticaApiClient implements AcumaticaApi, AcumaticaProbe, AcumaticaBatchReader, OnApplicationShutdown {
  private readonly sessions = new Map<string, { fingerprint: string; session: AcumaticaSession }>();

  constructor(
    private readonly axios: AxiosInstance,
    private readonly http: AcumaticaHttp,
    private readonly settings: AcumaticaSettingsSource,
    private readonly options: AcumaticaClientOptions,
  ) {}

  async findJournalByTag(connectionId: string, tag: string): Promise<AcumaticaJournalRef | null> {
    // With the closing bracket: `[gusto:<uuid>]` must not find `[gusto:<uuid>/2]` (a later generation).
    const filter = `Module eq 'GL' and substringof(${odataString(`[${tag}]`)},Description)`;
    const rows = await this.list(connectionId, {
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
    const session = await this.session(connectionId);
    const body = journalBody(journal, { branch: session.settings.branch });
    const response = await this.call(session, {
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
    const session = await this.session(connectionId);
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
    const details = Array.isArray(batch.Details) ? (batch.Details as WireEntity[]) : [];
    let debit = 0;
    let credit = 0;
    for (const line of details) {
      const d = centsOrNaN(value<number | string>(line.DebitAmount) ?? 0);
      const c = centsOrNaN(value<number | string>(line.CreditAmount) ?? 0);
      debit += Number.isNaN(d) ? 0 : d;
      credit += Number.isNaN(c) ? 0 : c;
    }
    const date = str(batch.TransactionDate);
    return {
      batchNbr: str(batch.BatchNbr) ?? batchNbr,
      status: str(batch.Status) ?? '',
      ...(date ? { transactionDate: date.slice(0, 10) } : {}),
      debitTotal: formatCents(debit),
      creditTotal: formatCents(credit),
      lines: details.length,
    };
  }

  /** The release and its polls run alone in the session: Acumatica would refuse anything else meanwhile. */
  async releaseJournal(connectionId: string, batchNbr: string): Promise<AcumaticaJournalRef> {
    const session = await this.session(connectionId);
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
      const batch = await this.call(session, {
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
    const rows = await this.list(connectionId, {
      method: 'GET',
      path: 'Account',
      params: changedSince('AccountCD,Active,Description,Type,LastModifiedDateTime', since),
      what: 'reading the chart of accounts',
    });
    return rows.map((r) => ({
      accountCD: str(r.AccountCD) ?? '',
      active: bool(r.Active) ?? false,
      description: str(r.Description),
      type: str(r.Type),
      lastModifiedDateTime: str(r.LastModifiedDateTime),
    }));
  }

  async listSubaccounts(connectionId: string, since?: string): Promise<GlSubaccount[]> {
    const rows = await this.list(connectionId, {
      method: 'GET',
      path: 'Subaccount',
      params: changedSince('SubaccountCD,Active,Description,LastModifiedDateTime', since),
      what: 'reading the subaccounts',
    });
    return rows.map((r) => ({
      subaccountCD: str(r.SubaccountCD) ?? '',
      active: bool(r.Active) ?? false,
      description: str(r.Description),
      lastModifiedDateTime: str(r.LastModifiedDateTime),
    }));
  }

  async findEmployeeByRefNbr(connectionId: string, refNbr: string): Promise<AcumaticaEmployee | null> {
    return this.findEmployee(connectionId, `EmployeeSettings/EmployeeRefNbr eq ${odataString(refNbr)}`);
  }

  async findEmployeeByEmail(connectionId: string, email: string): Promise<AcumaticaEmployee | null> {
    return this.findEmployee(connectionId, `ContactInfo/Email eq ${odataString(email)}`);
  }

  async putEmployee(connectionId: string, employee: AcumaticaEmployee): Promise<AcumaticaEmployee> {
    const session = await this.session(connectionId);
    const body = JSON.stringify(employeeToWire(employee));
    const saved = await this.call(session, {
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
      const session = await this.session(connectionId);
      endpointVersion = session.settings.endpointVersion;
      await this.call(session, {
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
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.session.logout()));
  }

  private async findEmployee(connectionId: string, filter: string): Promise<AcumaticaEmployee | null> {
    const rows = await this.list(connectionId, {
      method: 'GET',
      path: 'Employee',
      params: { $filter: filter, $expand: EMPLOYEE_EXPAND },
      what: 'looking up an employee',
    });
    return rows.length ? employeeFromWire(rows[0]) : null;
  }

  private async list(connectionId: string, request: AcumaticaRequest): Promise<WireEntity[]> {
    const data = await this.call(await this.session(connectionId), request);
    return Array.isArray(data) ? (data as WireEntity[]) : [];
  }

  /** One request; a 404 on the endpoint is checked against `GET /entity` so the error can name the versions offered. */
  private async call(session: AcumaticaSession, request: AcumaticaRequest): Promise<unknown> {
    try {
      return (await this.http.send(session, request)).data;
    } catch (error) {
      if (!(error instanceof AcumaticaApiError) || error.kind !== 'not_found') throw error;
      const offered = await this.offeredVersions(session).catch(() => undefined);
      if (offered && !offered.includes(session.settings.endpointVersion)) {
        throw new AcumaticaApiError(
          'endpoint_version_not_available',
          versionMessage(session, offered),
          404,
          undefined,
          [],
          offered,
        );
      }
      throw error;
    }
  }

  /** `GET /entity`: versions of the configured endpoint name (wrapper object or bare array, reference §1.4). */
  private async offeredVersions(session: AcumaticaSession): Promise<string[]> {
    const data = (await this.http.send(session, { method: 'GET', path: '/entity', what: 'listing endpoints' })).data as
      { endpoints?: Array<{ name?: string; version?: string }> } | Array<{ name?: string; version?: string }>;
    const endpoints = Array.isArray(data) ? data : (data?.endpoints ?? []);
    return endpoints.flatMap((e) => (e.name === session.settings.endpointName && e.version ? [e.version] : []));
  }

  /** Reused until the connection's settings change (then the old session is closed). */
  private async session(connectionId: string): Promise<AcumaticaSession> {
    const settings = await this.settings.settingsFor(connectionId);
    const fingerprint = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
    const held = this.sessions.get(connectionId);
    if (held && held.fingerprint === fingerprint) return held.session;
    if (held) void held.session.logout();
    const session = new AcumaticaSession(this.axios, settings);
    this.sessions.set(connectionId, { fingerprint, session });
    return session;
  }
}

function changedSince(select: string, since: string | undefined): Record<string, string> {
  return since ? { $select: select, $filter: `LastModifiedDateTime gt datetimeoffset'${since}'` } : { $select: select };
}

function versionMessage(session: AcumaticaSession, offered: string[]): string {
  const { endpointName, endpointVersion } = session.settings;
  return `endpoint version ${endpointVersion} is not available; this instance offers ${offered.length ? offered.map((v) => `${endpointName}/${v}`).join(', ') : `no ${endpointName} endpoint`}`;
}

function journalRef(e: WireEntity): AcumaticaJournalRef {
  return {
    batchNbr: str(e.BatchNbr) ?? '',
    module: 'GL',
    status: str(e.Status) ?? '',
    description: str(e.Description) ?? '',
  };
}
