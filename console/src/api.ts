/**
 * The console's typed client of the service's public HTTP API. The browser holds no key: the session is an
 * httpOnly cookie set by POST /api/session, and every change (non-GET) carries the session's CSRF token in
 * `X-CSRF-Token`. Only relative URLs: the console talks to the service that served it and to nothing else.
 */
import type {
  ApiFailure,
  AuditEvent,
  Connection,
  Employee,
  GlAccount,
  GlSubaccount,
  GustoPayroll,
  MappingDocument,
  Page,
  PingResult,
  Posting,
  Preview,
  Session,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** `details` as a list of strings (validation and mapping answers name each field this way). */
  get detailLines(): string[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.map((d) =>
      typeof d === 'string'
        ? d
        : typeof d === 'object' && d && 'message' in d
          ? String((d as { message: unknown }).message)
          : JSON.stringify(d),
    );
  }
}

export interface Answer<T> {
  body: T;
  status: number;
  etag: string | null;
}

let csrfToken: string | null = null;
/** Called when any answer says the session is gone (401), so the app can show the sign-in page. */
let onSignedOut: () => void = () => undefined;

export const setSignedOutHandler = (handler: () => void): void => {
  onSignedOut = handler;
};

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const sent: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) sent['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers: sent,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* CSV or an empty answer: keep the text */
  }
  if (!res.ok) {
    const failure = (typeof parsed === 'object' && parsed ? parsed : {}) as Partial<ApiFailure>;
    if (res.status === 401 && path !== '/api/session') {
      csrfToken = null;
      onSignedOut();
    }
    throw new ApiError(
      res.status,
      failure.error ?? `http_${res.status}`,
      failure.message ?? (text || res.statusText),
      failure.details,
    );
  }
  return { body: parsed as T, status: res.status, etag: res.headers.get('ETag') };
}

const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).body;
const enc = encodeURIComponent;
const query = (params: Record<string, string | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const api = {
  async signIn(key: string): Promise<Session> {
    const session = (await call<Session>('POST', '/api/session', { key })).body;
    csrfToken = session.csrfToken;
    return session;
  },
  /** The session the cookie names, or null when there is none. */
  async currentSession(): Promise<Session | null> {
    try {
      const session = await get<Session>('/api/session');
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  async signOut(): Promise<void> {
    try {
      await call('DELETE', '/api/session');
    } finally {
      csrfToken = null;
    }
  },

  connections: () => get<Page<Connection>>('/api/connections'),
  connection: (id: string) => call<Connection>('GET', `/api/connections/${enc(id)}`),
  createConnection: (body: unknown) => call<Connection>('POST', '/api/connections', body).then((a) => a.body),
  ping: (id: string) => call<PingResult>('POST', `/api/connections/${enc(id)}/ping`).then((a) => a.body),
  sync: (id: string) => call<Record<string, unknown>>('POST', `/api/connections/${enc(id)}/sync`).then((a) => a.body),
  endpointVersions: (baseUrl: string) =>
    call<{ versions: string[] }>('POST', '/api/acumatica/endpoints', { baseUrl }).then((a) => a.body.versions),
  /** Where the browser goes to authorize Gusto; the service sends it back to `returnTo` in the console. */
  gustoAuthorizeUrl: (id: string, returnTo: string, companyUuid?: string) =>
    `/api/connections/${enc(id)}/gusto/authorize${query({ companyUuid, returnTo })}`,
  /** Binds the company a Gusto consent granted without it being named at the start (only the key that started it). */
  confirmGusto: (id: string, companyUuid: string) =>
    call<unknown>('POST', `/api/connections/${enc(id)}/gusto/confirm`, { companyUuid }).then((a) => a.body),
  accounts: (id: string) =>
    get<{ accounts: GlAccount[] }>(`/api/connections/${enc(id)}/acumatica/accounts`).then((b) => b.accounts),
  subaccounts: (id: string) =>
    get<{ subaccounts: GlSubaccount[] }>(`/api/connections/${enc(id)}/acumatica/subaccounts`).then(
      (b) => b.subaccounts,
    ),
  putMapping: (id: string, document: MappingDocument, ifMatch: string | null) =>
    call<{ id: string; version: number; acceptedAt: string }>(
      'PUT',
      `/api/connections/${enc(id)}/mapping`,
      document,
      ifMatch ? { 'If-Match': ifMatch } : {},
    ),
  gustoPayrolls: (id: string) =>
    get<{ payrolls: GustoPayroll[] }>(`/api/connections/${enc(id)}/gusto/payrolls`).then((b) => b.payrolls),
  preview: (id: string, payrollUuid: string) =>
    call<Preview>('POST', `/api/connections/${enc(id)}/payrolls/${enc(payrollUuid)}/preview`).then((a) => a.body),

  postings: (params: { connectionId?: string; status?: string; cursor?: string; limit?: string }) =>
    get<Page<Posting>>(`/api/postings${query(params)}`),
  posting: (id: string) => call<Posting>('GET', `/api/postings/${enc(id)}`),
  postingEvents: (id: string) => get<Page<AuditEvent>>(`/api/postings/${enc(id)}/events`),
  replay: (id: string, ifMatch: string | null) =>
    call<{ id: string; status: string }>(
      'POST',
      `/api/postings/${enc(id)}/replay`,
      undefined,
      ifMatch ? { 'If-Match': ifMatch } : {},
    ).then((a) => a.body),

  employees: (connectionId: string, cursor?: string) =>
    get<Page<Employee>>(`/api/employees${query({ connectionId, cursor })}`),
  auditEvents: (params: {
    connectionId?: string;
    type?: string;
    from?: string;
    to?: string;
    after?: string;
    limit?: string;
  }) => get<Page<AuditEvent>>(`/api/audit/events${query(params)}`),
  tieOut: (id: string, from: string, to: string) =>
    get<TieOut>(`/api/connections/${enc(id)}/tie-out${query({ from, to })}`),
  tieOutCsvUrl: (id: string, from: string, to: string) =>
    `/api/connections/${enc(id)}/tie-out${query({ from, to, format: 'csv' })}`,
};

/** The tie-out report (README "tie-out"): per payroll every figure side by side, then the period's sums. */
export interface Tie {
  item: string;
  gusto?: string;
  journal?: string;
  acumatica?: string;
  difference: string;
}

export interface PayrollTieOut {
  payrollUuid: string;
  checkDate: string;
  offCycle: boolean;
  status: string;
  cashMode: string;
  acumatica?: { batchNbr: string; status?: string; debitTotal?: string; creditTotal?: string; error?: string };
  ties: Tie[];
  differences: string[];
}

export interface TieOut {
  connectionId: string;
  from: string;
  to: string;
  generatedAt: string;
  payrolls: PayrollTieOut[];
  period: {
    payrolls: number;
    posted: number;
    gusto: { companyDebit: string };
    journal: { debit: string; credit: string; cash: string };
    acumatica: { debit: string; credit: string };
    differences: number;
  };
}
