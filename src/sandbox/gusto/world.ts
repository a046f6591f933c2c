/** The sandbox's mutable state and the helpers every part shares. */
import type {
  AuthorizationCode,
  Company,
  Delivery,
  EmployeeRecord,
  GustoEvent,
  PayrollRecord,
  RecordedRequest,
  Subscription,
  TokenRow,
} from './model';
import { createKnobs, type PendingFault, type SandboxKnobs } from './knobs';
import { SandboxClock, SeededRandom } from './support';

export interface SandboxConfig {
  clientId: string;
  clientSecret: string;
  verificationToken: string;
  rateLimit: { requests: number; windowMs: number };
}

export interface SandboxStats {
  /** POST /oauth/token calls with grant_type=refresh_token (successful or not). */
  refreshCalls: number;
  /** Token calls answered invalid_grant. */
  invalidGrants: number;
  /** Successful authorization_code exchanges. */
  codeExchanges: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** Code exchanges whose PKCE code_verifier matched the authorization's code_challenge. */
  pkceVerified: number;
}

export class World {
  readonly companies = new Map<string, Company>();
  readonly employees = new Map<string, EmployeeRecord>();
  readonly payrolls = new Map<string, PayrollRecord>();
  readonly tokens: TokenRow[] = [];
  readonly codes = new Map<string, AuthorizationCode>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly events: GustoEvent[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Delivery[] = [];
  readonly faults: PendingFault[] = [];
  readonly knobs: SandboxKnobs = createKnobs(this.faults);
  readonly stats: SandboxStats = {
    refreshCalls: 0,
    invalidGrants: 0,
    codeExchanges: 0,
    rateLimited: 0,
    pkceVerified: 0,
  };
  readonly rateWindows = new Map<number, { startMs: number; count: number }>();
  readonly applicationUuid: string;
  /** One-shot choice of the company the next /oauth/authorize approves. */
  nextAuthorizeCompany: string | null = null;
  private grantSeq = 0;

  constructor(
    readonly rng: SeededRandom,
    readonly clock: SandboxClock,
    readonly config: SandboxConfig,
  ) {
    this.applicationUuid = rng.uuid();
  }

  newGrantId(): number {
    return ++this.grantSeq;
  }
  nowIso(): string {
    return this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  companyOrThrow(uuid: string): Company {
    const c = this.companies.get(uuid);
    if (!c) throw new ScenarioError(404, `no company ${uuid}`);
    return c;
  }
  employeeOrThrow(uuid: string): EmployeeRecord {
    const e = this.employees.get(uuid);
    if (!e) throw new ScenarioError(404, `no employee ${uuid}`);
    return e;
  }
  payrollOrThrow(uuid: string): PayrollRecord {
    const p = this.payrolls.get(uuid);
    if (!p) throw new ScenarioError(404, `no payroll ${uuid}`);
    return p;
  }
  companyEmployees(companyUuid: string): EmployeeRecord[] {
    return [...this.employees.values()].filter((e) => e.companyUuid === companyUuid);
  }
  companyPayrolls(companyUuid: string): PayrollRecord[] {
    return [...this.payrolls.values()].filter((p) => p.companyUuid === companyUuid);
  }
  latestCompany(): Company | null {
    const all = [...this.companies.values()];
    return all[all.length - 1] ?? null;
  }

  /** Termination in effect: effective at 00:00 after the last day worked (reference §5.3). */
  terminationActive(e: EmployeeRecord): boolean {
    return e.termination !== null && e.termination.effectiveDate < this.clock.today();
  }
  terminatedFlag(e: EmployeeRecord): boolean {
    if (!e.termination) return false;
    return this.knobs.terminatedFlag === 'on_create' || this.terminationActive(e);
  }
}

/** A scenario call that cannot be done; the HTTP scenario routes answer `status` with the message. */
export class ScenarioError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}
