/** Public types of the Acumatica sandbox. */
import type { AccountRecord, EmployeeRecord, JournalRecord, SubaccountRecord } from './store';

export interface Clock {
  now(): Date;
}
export interface SandboxClock extends Clock {
  /** Move the sandbox's time forward (token expiry, session timeouts, rate windows, LastModifiedDateTime). */
  advance(ms: number): void;
}
export interface SandboxUser {
  username: string;
  password: string;
}
export interface SandboxClient {
  /** `GUID@Tenant` */
  clientId: string;
  clientSecret: string;
}
export interface LicenceLimits {
  requestsPerMinute?: number;
  maxConcurrent?: number;
  /** Maximum Number of Web Services API Users: live cookie sessions + OAuth grants. */
  maxSessions?: number;
}
export interface AcumaticaSandboxOptions {
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  clock?: Clock;
  /** Tenant login name; default `AcmeCorp`. */
  tenant?: string;
  users?: SandboxUser[];
  clients?: SandboxClient[];
  /** Offered Default endpoint versions; default 20.200.001, 22.200.001, 23.200.001, 24.200.001, 25.200.001. */
  versions?: string[];
  licence?: LicenceLimits;
  /** Closed financial periods, `MMYYYY`. */
  closedPeriods?: string[];
}

export type FaultKind = 429 | 500 | 'timeout' | 'commit_then_drop';
export type AuthKind = 'none' | 'bearer' | 'cookie' | 'invalid';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status written; 0 when the socket was destroyed without a response. */
  status: number;
  auth: AuthKind;
  /** Sandbox-clock time the request arrived (ISO). */
  time: string;
  /** Which injected fault, if any, answered this request. */
  fault?: FaultKind | 'throttled' | 'login_limit';
  /** `holdNextCreate`: how long (real ms) this create was held before it was carried out. */
  heldMs?: number;
  /** `holdNextCreate` with `dropConnection`: the client's connection was dropped at once; the create still ran later. */
  dropped?: boolean;
}

/** Options of `holdNextCreate`. */
export interface HoldOptions {
  /** Destroy the client's connection at once (no answer ever comes); the create is still carried out after the hold. */
  dropConnection?: boolean;
}

export interface SandboxStats {
  tokenCalls: number;
  tokensIssued: number;
  refreshes: number;
  logins: number;
  logouts: number;
  /** every 429 written, whatever the cause (licence, login limit, injected) */
  throttled429: number;
  loginLimitRejections: number;
  /** requests slowed down by the per-minute limit in `queue` mode */
  delayed: number;
}

export interface SandboxKnobs {
  /** The next `count` requests whose method matches and whose path (after the instance root) matches. */
  failNext(
    method: string,
    pathPattern: string | RegExp,
    count: number,
    status: FaultKind,
    retryAfterSec?: number,
  ): void;
  clearFaults(): void;
  /**
   * Holds the next journal create (`PUT …/JournalTransaction`) for `ms` real ms, as Acumatica's licence queue
   * does (up to ten minutes), then carries it out. The client's request stays open and gets the answer after the
   * hold, unless `dropConnection` (the socket is destroyed at once). A client that goes away meanwhile changes
   * nothing: the create still commits. Calls queue up: each holds one more create. Cleared by `clearFaults()`.
   */
  holdNextCreate(ms: number, options?: HoldOptions): void;
  /** Creates currently held (accepted, not yet carried out). */
  heldCreates(): number;
  /** Added to every response (real time); for `/entity/Default/…` requests it is spent holding a licence core. */
  latencyMs: number;
  /** Send `Retry-After` on 429s (UNCONFIRMED whether Acumatica does; default false). */
  retryAfterHeader: boolean;
  /** Value of `Retry-After` when sent and the fault named none; default 1. */
  retryAfterSec: number;
  /** How long a `timeout` fault holds the socket before destroying it (real ms; default 1000). */
  timeoutHoldMs: number;
  /** `MMYYYY` */
  closedPeriods: Set<string>;
  licence: LicenceLimits & {
    /** `queue` (documented: delay per-minute overflow, wait for a free core, 429 only when the queue is full) or `reject` (429 at once). */
    mode: 'queue' | 'reject';
    /** New requests are declined when more than this many already wait (documented: 20). */
    maxQueue: number;
    /** Multiplier for documented per-minute delays (real ms); tests use a small value. */
    delayScale: number;
  };
  /** API login limit answer: `opaque-429` = 429 text/plain fixture; `message-500` = 500 HttpError "API Login Limit". */
  loginLimitResponse: 'opaque-429' | 'message-500';
  /** Release → `Posted` (Automatically Post on Release) or `Unposted`. */
  autoPostOnRelease: boolean;
  /** Number of 202 answers to status polls before 204. */
  releasePolls: number;
  /** Hold when a new batch doesn't say (GL Preferences "Hold Batches on Entry"). */
  holdBatchesOnEntry: boolean;
  /** Where "Batch is out of balance, please review." lands (UNCONFIRMED): 422 entity echo or 500 HttpError. */
  outOfBalanceAs: 422 | 500;
  /** Subaccounts feature; when off `/Subaccount` answers 403. */
  subaccountsFeature: boolean;
  /** Use a supplied, not-yet-existing `BatchNbr` / `EmployeeID` as the new key (UNCONFIRMED; default false = auto-numbering wins). */
  honourSuppliedKeys: boolean;
  /** Hours to shift a date-only value sent with `Z`/an offset before taking its date (UNCONFIRMED; e.g. -8 for a Pacific tenant). */
  dateOnlyShiftHours: number;
  /** List GETs whose `$filter` uses a linked-entity field (`EmployeeSettings/EmployeeRefNbr`) answer 500 "Optimization cannot be performed…" (UNCONFIRMED; default false). */
  optimizationFailsOnLinkedFilter: boolean;
  /** Activate / deactivate a GL account (updates LastModifiedDateTime). */
  setAccountActive(accountCD: string, active: boolean): void;
}

/** What `editEmployee` may change, as a user would in the UI. */
export interface EmployeeEdit {
  Status?: string;
  FirstName?: string;
  LastName?: string;
  Email?: string;
  DepartmentID?: string;
  EmployeeRefNbr?: string;
}

/** Unwrapped copies of the stored records (mutating them changes nothing in the sandbox). */
export interface SandboxRecords {
  journals(): JournalRecord[];
  /** Journals whose header Description contains `tag` (e.g. `gusto:<payroll uuid>`): count duplicates with it. */
  journalsTagged(tag: string): JournalRecord[];
  employees(): EmployeeRecord[];
  accounts(): AccountRecord[];
  subaccounts(): SubaccountRecord[];
}

export interface AcumaticaSandbox {
  url: string;
  port: number;
  tenant: string;
  users: SandboxUser[];
  clients: SandboxClient[];
  versions: string[];
  clock: SandboxClock;
  /** Same as `clock.advance(ms)`. */
  advance(ms: number): void;
  requests: RecordedRequest[];
  records: SandboxRecords;
  stats: SandboxStats;
  knobs: SandboxKnobs;
  deactivateAccount(accountCD: string): void;
  activateAccount(accountCD: string): void;
  setSubaccountActive(subaccountCD: string, active: boolean): void;
  /** Edit an employee as a user would in the UI; bumps LastModifiedDateTime. */
  editEmployee(employeeId: string, edit: EmployeeEdit): void;
  /** Number of live API sessions (cookie logins + OAuth grants). */
  liveSessions(): number;
  /**
   * Scenario: an administrator resets the user's password. Ends the user's sessions and revokes its access
   * and refresh tokens too (unless `endSessions` is false). False for an unknown user.
   */
  resetPassword(username: string, newPassword: string, options?: { endSessions?: boolean }): boolean;
  /**
   * Scenario: an administrator revokes a connected application: its tokens stop working at once and, unless
   * `remove` is false, the client is gone (the token endpoint answers invalid_client). False when unknown.
   */
  revokeClient(clientId: string, options?: { remove?: boolean }): boolean;
  close(): Promise<void>;
}
