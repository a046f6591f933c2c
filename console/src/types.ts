/** The shapes the console reads from the service's HTTP API (README "HTTP API", console/API-CONTRACT.md). */

export type Role = 'auditor' | 'operator' | 'admin';

export interface Principal {
  kind: string;
  keyId?: string;
  name: string;
  role: Role;
  connections: string[] | '*';
}

export interface Session {
  principal: Principal;
  csrfToken: string;
}

export type GustoStatus = 'not_connected' | 'connected' | 'needs_reauthorization';

export interface AccountEntry {
  account: string;
  subaccount?: string;
}

export interface MappingDocument {
  journal: {
    branch?: string;
    ledger?: string;
    detail: 'summary' | 'department' | 'employee';
    release: boolean;
    cash?: 'liabilities' | 'bank';
    entryDate?: 'check_date' | 'period_end';
    rounding?: { toleranceCents: number };
    splitLiabilitiesByDepartment?: boolean;
    accrual?: { enabled: boolean };
  };
  accounts: Record<string, AccountEntry>;
  subaccountsByDepartment?: Record<string, string>;
  employees?: {
    defaultDepartment?: string;
    departments?: Record<string, string>;
    employeeClass?: string;
    driftPolicy?: 'flag' | 'overwrite';
  };
}

export interface Connection {
  id: string;
  name: string;
  gusto: { companyUuid?: string; status: GustoStatus };
  acumatica: {
    baseUrl: string;
    tenant: string;
    branch?: string;
    endpointName: string;
    endpointVersion: string;
    auth: { kind: 'oauth2' | 'cookie'; clientId?: string; username: string };
  };
  mapping?: { version: number; acceptedAt: string; document: MappingDocument };
  createdAt: string;
}

export interface PingResult {
  gusto: { ok: boolean; companyUuid?: string; companyName?: string; error?: string };
  acumatica: { ok: boolean; endpointVersion: string; availableVersions?: string[]; error?: string };
}

export interface GlAccount {
  accountCd: string;
  description: string | null;
  type: string | null;
  active: boolean;
}

export interface GlSubaccount {
  subaccountCd: string;
  description: string | null;
  active: boolean;
}

export interface GustoPayroll {
  payrollUuid: string;
  checkDate: string;
  payPeriod: { startDate: string; endDate: string };
  processed: boolean;
  offCycle: boolean;
  posting: null | { id: string; status: string };
}

export interface JournalLine {
  account: string;
  subaccount?: string;
  side: 'debit' | 'credit';
  /** Decimal string, two places, always positive. */
  amount: string;
  memo: string;
  mappingKey: string;
  department?: string;
  employeeUuid?: string;
}

export interface Journal {
  header: { branch?: string; ledger?: string; transactionDate: string; description: string; release: boolean };
  lines: JournalLine[];
  totals: { debit: string; credit: string };
  warnings?: string[];
  tag?: string;
  kind?: string;
}

export interface Preview extends Journal {
  connectionId: string;
  payrollUuid: string;
  mappingVersion: number;
  warnings: string[];
  accruals: Array<{ month: string; days: number; periodDays: number; accrual: Journal; reversal: Journal }>;
  accrualErrors?: string[];
}

export type PostingStatus = 'pending' | 'posted' | 'failed' | 'needs_attention' | 'cancelled';

export interface BlockReason {
  code: string;
  message: string;
  keys?: string[];
  details?: string[];
}

export interface Waiting {
  for: string;
  until: string;
  since?: string;
  nextCheckAt?: string;
}

export interface Posting {
  id: string;
  connectionId: string;
  payrollUuid: string;
  status: PostingStatus;
  journal: Journal | null;
  acumatica: { batchNbr?: string; status?: string; released?: boolean };
  attempts: number;
  lastError?: { code: string; message: string; step: string; reasons?: BlockReason[]; details?: string[] };
  reversal?: {
    status: string;
    batchNbr?: string;
    nextAttemptAt?: string;
    lastError?: { code: string; message: string; step: string };
    waiting?: Waiting;
  };
  waiting?: Waiting;
  trigger?: string;
  mappingVersion?: number;
  nextAttemptAt?: string;
  payroll?: {
    checkDate: string;
    payPeriod?: { startDate: string | null; endDate: string | null };
    offCycle: boolean;
    totals: Record<string, string>;
    employees: number;
  };
  createdAt: string;
  updatedAt: string;
  postedAt?: string;
  events?: number;
}

export interface AuditEvent {
  id: string;
  stream: string;
  type: string;
  /** When it happened (metadata.at, else when the store recorded it). */
  time: string;
  recordedAt: string;
  revision: string;
  position: string;
  data: unknown;
  metadata: { at?: string; actor?: string; correlationId?: string; causationId?: string; [more: string]: unknown };
}

export interface Employee {
  gustoUuid: string;
  name: string;
  status: string;
  acumaticaEmployeeId: string | null;
  lastSyncAt: string | null;
  drift?: {
    fields: Array<{ field: string; gusto: string | null; acumatica: string | null; lastWritten: string | null }>;
  };
  problem?: { code: string; message: string };
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ApiFailure {
  error: string;
  message: string;
  details?: unknown;
}
