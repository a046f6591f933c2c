/** The sandbox's in-memory world: companies, employees, payrolls, tokens, subscriptions, events. */
import type { Cents } from './support';

export interface Company {
  uuid: string;
  name: string;
  /** Two-letter state; decides the state tax lines (TX: SUTA only; CA: income tax, SDI, SUI, ETT). */
  state: string;
  createdAt: string;
  adminUuid: string;
  payScheduleUuid: string;
  locationUuid: string;
  /** department title → uuid */
  departments: Map<string, string>;
}

export interface PostTaxDeduction {
  uuid: string;
  name: string;
  cents: Cents;
  courtOrdered: boolean;
  childSupport: boolean;
}

/** Decided once per employee (seeded) so that consecutive payrolls look alike. */
export interface PayProfile {
  retirementBp: bigint | null; // 401(k) employee deferral, basis points of gross
  medical: { employee: Cents; company: Cents } | null;
  postTax: PostTaxDeduction | null;
}

export interface Termination {
  uuid: string;
  version: number;
  effectiveDate: string;
  runTerminationPayroll: boolean;
}
export interface Rehire {
  effectiveDate: string;
  createdAt: string;
}

export interface EmployeeRecord {
  uuid: string;
  companyUuid: string;
  firstName: string;
  middleInitial: string | null;
  lastName: string;
  email: string;
  workEmail: string | null;
  phone: string;
  dateOfBirth: string;
  department: string | null;
  departmentUuid: string | null;
  jobUuid: string;
  jobVersion: number;
  jobTitle: string;
  compensationUuid: string;
  /** Decimal string: a yearly salary or an hourly rate. */
  rate: string;
  paymentUnit: 'Year' | 'Hour';
  hireDate: string;
  compensationEffectiveDate: string;
  paymentMethod: 'Direct Deposit' | 'Check';
  employeeCode: string;
  managerUuid: string | null;
  version: number;
  termination: Termination | null;
  rehire: Rehire | null;
  history: Array<{ hireDate: string; terminationDate: string | null }>;
  profile: PayProfile;
  createdAt: string;
}

export interface HourlyLine {
  name: string;
  milliHours: bigint;
  cents: Cents;
  multiplier: number;
  flsaStatus: string;
  jobUuid: string;
}
export interface NamedAmount {
  name: string;
  cents: Cents;
}
export interface TaxLine {
  name: string;
  employer: boolean;
  cents: Cents;
}
/** `imputed`: taxable income, not cash, not in gross (e.g. group-term life over $50k). */
export interface BenefitLine {
  name: string;
  employee: Cents;
  company: Cents;
  imputed?: boolean;
}

export interface CompensationRecord {
  employeeUuid: string;
  firstName: string;
  lastName: string;
  paymentMethod: 'Direct Deposit' | 'Check' | 'Historical';
  hourly: HourlyLine[];
  fixed: Array<NamedAmount & { jobUuid: string }>;
  pto: Array<{ name: string; milliHours: bigint }>;
  reimbursements: NamedAmount[];
  deductions: NamedAmount[];
  taxes: TaxLine[];
  benefits: BenefitLine[];
  gross: Cents;
  net: Cents;
  check: Cents;
}

export const TOTAL_KEYS = [
  'company_debit',
  'net_pay_debit',
  'tax_debit',
  'reimbursement_debit',
  'child_support_debit',
  'reimbursements',
  'net_pay',
  'gross_pay',
  'employee_bonuses',
  'employee_commissions',
  'employee_cash_tips',
  'employee_paycheck_tips',
  'additional_earnings',
  'owners_draw',
  'check_amount',
  'employer_taxes',
  'employee_taxes',
  'benefits',
  'employee_benefits_deductions',
  'imputed_pay',
  'deferred_payroll_taxes',
  'other_deductions',
] as const;
export type TotalKey = (typeof TOTAL_KEYS)[number];
export type Totals = Record<TotalKey, Cents>;

export interface PayrollRecord {
  uuid: string;
  companyUuid: string;
  checkDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  processed: boolean;
  processedDate: string | null;
  calculatedAt: string;
  createdAt: string;
  deadline: string;
  offCycle: boolean;
  offCycleReason: string | null;
  external: boolean;
  reversalOf: string | null;
  reversalPayrollUuids: string[];
  comps: CompensationRecord[];
  totals: Totals;
}

/** One row per issued token pair (Doorkeeper style: access and refresh token live and die together). */
export interface TokenRow {
  id: number;
  grantId: number;
  kind: 'company' | 'system';
  companyUuid: string | null;
  accessToken: string;
  refreshToken: string | null;
  createdAtMs: number;
  expiresAtMs: number;
  revoked: boolean;
  used: boolean;
  /** The row whose refresh token produced this one: revoked when this access token is first used. */
  parentRowId: number | null;
}

/** `codeChallenge`: the PKCE challenge (S256) the authorization request carried, if any (RFC 7636). */
export interface AuthorizationCode {
  code: string;
  companyUuid: string;
  redirectUri: string;
  expiresAtMs: number;
  used: boolean;
  codeChallenge?: string;
}

export interface Subscription {
  uuid: string;
  url: string;
  status: 'pending' | 'verified' | 'removed' | 'unreachable';
  subscriptionTypes: string[];
  verificationToken: string;
}

export interface GustoEvent {
  uuid: string;
  event_type: string;
  resource_type: 'Company';
  resource_uuid: string;
  entity_type: string;
  entity_uuid: string;
  timestamp: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the sandbox never answered (timeout fault). */
  status: number;
  /** The company of the bearer token, when the request carried a valid company token. */
  company: string | null;
  time: string;
  apiVersion: string | null;
}

export interface Delivery {
  eventUuid: string;
  eventType: string;
  url: string;
  attempt: number;
  status: number | 'error';
  body: string;
  signature: string;
}
