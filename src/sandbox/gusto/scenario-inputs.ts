/** The inputs of the scenario API (plain JSON, as the /sandbox routes receive them). */
import type { EmployeeInput } from './employee-factory';

export type { EmployeeInput } from './employee-factory';
export interface CompanyInput {
  name?: string;
  state?: string;
}
export type EmployeeUpdate = Pick<
  EmployeeInput,
  'firstName' | 'lastName' | 'email' | 'department' | 'jobTitle' | 'rate' | 'paymentUnit' | 'paymentMethod'
>;
export interface TerminationInput {
  effectiveDate: string;
  runTerminationPayroll?: boolean;
}
export interface RehireInput {
  effectiveDate: string;
}
export interface PayrollInput {
  /** A count (missing employees are hired first, silently) or a list of employee uuids; default: all on the payroll. */
  employees?: number | string[];
  offCycle?: boolean;
  offCycleReason?: string;
  checkDate?: string;
  external?: boolean;
  /** false: process without sending payroll.processed (the event is still listed by GET /v1/events). */
  webhook?: boolean;
  /**
   * Cents added to some `totals` (e.g. `{ net_pay: 1 }`): Gusto's total then disagrees with the sum of its
   * employee lines, as a rounding difference would. The `*_debit` totals are left as generated.
   */
  totalsSkewCents?: Record<string, number>;
}
export interface ReverseInput {
  employeeUuids?: string[];
}
export interface SubscriptionInput {
  url: string;
  subscriptionTypes?: string[];
  verified?: boolean;
}
