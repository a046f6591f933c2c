/**
 * The scenario API: what happens "inside Gusto" (an admin hires, runs payroll, cancels, reverses…).
 * The same methods back the HTTP routes under /sandbox (scenario-routes.ts); inputs are plain JSON.
 */
import type { Company, EmployeeRecord, PayrollRecord, Subscription } from './model';
import { computeTotals, generateCompensation, reverseCompensation } from './payroll-generator';
import { renderEmployee } from './employee-view';
import { renderTotals } from './payroll-view';
import { addDays, isDate } from './support';
import type { WebhookDispatcher } from './webhooks';
import { ScenarioError, type World } from './world';
import { newEmployeeRecord, type EmployeeInput } from './employee-factory';

export type { EmployeeInput } from './employee-factory';
export interface CompanyInput {
  name?: string;
  state?: string;
}
export interface EmployeeUpdate {
  firstName?: string;
  lastName?: string;
  email?: string;
  department?: string | null;
  jobTitle?: string;
  rate?: string;
  paymentUnit?: 'Year' | 'Hour';
  paymentMethod?: 'Direct Deposit' | 'Check';
}
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
export interface PayrollSummary {
  uuid: string;
  company_uuid: string;
  check_date: string;
  processed: boolean;
  off_cycle: boolean;
  off_cycle_reason: string | null;
  external: boolean;
  employee_count: number;
  totals: Record<string, string>;
  reversal_payroll_uuids: string[];
}

const OFF_CYCLE_REASONS = [
  'Adhoc',
  'Benefit reversal',
  'Bonus',
  'Correction',
  'Dismissed employee',
  'Hired employee',
  'Wage correction',
  'Tax reconciliation',
  'Reversal',
  'Disability insurance distribution',
  'Transition from old pay schedule',
];

export class Scenario {
  constructor(
    private readonly world: World,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  createCompany(input: CompanyInput = {}): { uuid: string; name: string; state: string } {
    const w = this.world;
    const company: Company = {
      uuid: w.rng.uuid(),
      name: input.name ?? `Company ${w.companies.size + 1}`,
      state: (input.state ?? 'TX').toUpperCase(),
      createdAt: w.nowIso(),
      adminUuid: w.rng.uuid(),
      payScheduleUuid: w.rng.uuid(),
      locationUuid: w.rng.uuid(),
      departments: new Map(),
    };
    w.companies.set(company.uuid, company);
    return { uuid: company.uuid, name: company.name, state: company.state };
  }

  /** The next /oauth/authorize approves this company (one-shot; default: the most recently created). */
  authorizeNext(companyUuid: string): void {
    this.world.companyOrThrow(companyUuid);
    this.world.nextAuthorizeCompany = companyUuid;
  }

  createEmployee(companyUuid: string, input: EmployeeInput = {}, silent = false): Record<string, unknown> {
    const company = this.world.companyOrThrow(companyUuid);
    const e = newEmployeeRecord(this.world, company, input);
    this.world.employees.set(e.uuid, e);
    this.webhooks.emit('employee.created', companyUuid, 'Employee', e.uuid, silent);
    return renderEmployee(this.world, e);
  }

  updateEmployee(employeeUuid: string, patch: EmployeeUpdate): Record<string, unknown> {
    const e = this.world.employeeOrThrow(employeeUuid);
    if (patch.rate !== undefined && !/^\d+(\.\d{1,2})?$/.test(patch.rate))
      throw new ScenarioError(422, `rate must be a decimal string, got ${patch.rate}`);
    if (patch.paymentUnit !== undefined && patch.paymentUnit !== 'Year' && patch.paymentUnit !== 'Hour')
      throw new ScenarioError(422, "paymentUnit must be 'Year' or 'Hour'");
    if (patch.firstName !== undefined) e.firstName = patch.firstName;
    if (patch.lastName !== undefined) e.lastName = patch.lastName;
    if (patch.email !== undefined) e.email = patch.email;
    if (patch.paymentMethod !== undefined) e.paymentMethod = patch.paymentMethod;
    if (patch.department !== undefined) {
      e.department = patch.department;
      e.departmentUuid =
        patch.department === null
          ? null
          : departmentUuid(this.world, this.world.companyOrThrow(e.companyUuid), patch.department);
    }
    if (patch.jobTitle !== undefined || patch.rate !== undefined || patch.paymentUnit !== undefined) {
      e.jobTitle = patch.jobTitle ?? e.jobTitle;
      e.rate = patch.rate ?? e.rate;
      e.paymentUnit = patch.paymentUnit ?? e.paymentUnit;
      e.jobVersion++;
      e.compensationEffectiveDate = this.world.clock.today();
    }
    e.version++;
    this.webhooks.emit('employee.updated', e.companyUuid, 'Employee', e.uuid);
    return renderEmployee(this.world, e);
  }

  /** Creates the (only) termination record; future dates allowed. */
  terminateEmployee(employeeUuid: string, input: TerminationInput): Record<string, unknown> {
    const e = this.world.employeeOrThrow(employeeUuid);
    if (!isDate(input.effectiveDate)) throw new ScenarioError(422, 'effectiveDate must be YYYY-MM-DD');
    if (e.termination) throw new ScenarioError(422, 'employee already has a termination');
    e.termination = {
      uuid: this.world.rng.uuid(),
      version: 1,
      effectiveDate: input.effectiveDate,
      runTerminationPayroll: input.runTerminationPayroll ?? false,
    };
    e.version++;
    this.webhooks.emit('employee.terminated', e.companyUuid, 'Employee', e.uuid);
    return renderEmployee(this.world, e);
  }

  rehireEmployee(employeeUuid: string, input: RehireInput): Record<string, unknown> {
    const e = this.world.employeeOrThrow(employeeUuid);
    if (!isDate(input.effectiveDate)) throw new ScenarioError(422, 'effectiveDate must be YYYY-MM-DD');
    if (!e.termination) throw new ScenarioError(422, 'employee is not terminated');
    e.history.push({ hireDate: e.rehire?.effectiveDate ?? e.hireDate, terminationDate: e.termination.effectiveDate });
    e.termination = null;
    e.rehire = { effectiveDate: input.effectiveDate, createdAt: this.world.nowIso() };
    e.version++;
    this.webhooks.emit('employee.rehired', e.companyUuid, 'Employee', e.uuid);
    return renderEmployee(this.world, e);
  }

  runPayroll(companyUuid: string, input: PayrollInput = {}): PayrollSummary {
    const w = this.world;
    const company = w.companyOrThrow(companyUuid);
    const reason = input.offCycle ? (input.offCycleReason ?? 'Bonus') : null;
    if (reason !== null && !OFF_CYCLE_REASONS.includes(reason))
      throw new ScenarioError(422, `unknown off_cycle_reason ${reason}`);
    if (input.checkDate !== undefined && !isDate(input.checkDate))
      throw new ScenarioError(422, 'checkDate must be YYYY-MM-DD');
    const employees = this.selectEmployees(company, input.employees);
    if (employees.length === 0) throw new ScenarioError(422, 'no employees to pay');
    const regulars = w
      .companyPayrolls(companyUuid)
      .filter((p) => !p.offCycle && !p.external)
      .sort((a, b) => a.checkDate.localeCompare(b.checkDate));
    const last = regulars[regulars.length - 1];
    const checkDate = input.checkDate ?? (last && !input.offCycle ? addDays(last.checkDate, 14) : w.clock.today());
    const periodEnd = input.offCycle ? checkDate : addDays(checkDate, -6);
    const external = input.external ?? false;
    const comps = employees.map((e) =>
      generateCompensation(w.rng, company, e, { offCycleReason: reason, external, hourlyPtoPay: w.knobs.hourlyPtoPay }),
    );
    const payroll: PayrollRecord = {
      uuid: w.rng.uuid(),
      companyUuid,
      checkDate,
      periodStart: addDays(periodEnd, -13),
      periodEnd,
      processed: true,
      processedDate: w.clock.today(),
      calculatedAt: w.nowIso(),
      createdAt: w.nowIso(),
      deadline: `${addDays(checkDate, -1)}T00:00:00Z`,
      offCycle: input.offCycle ?? false,
      offCycleReason: reason,
      external,
      reversalOf: null,
      reversalPayrollUuids: [],
      comps,
      totals: skewed(computeTotals(comps), input.totalsSkewCents),
    };
    w.payrolls.set(payroll.uuid, payroll);
    this.webhooks.emit('payroll.processed', companyUuid, 'Payroll', payroll.uuid, input.webhook === false);
    return summary(payroll);
  }

  /** A processed payroll goes back to unprocessed (same uuid) → payroll.cancelled. */
  cancelPayroll(payrollUuid: string): PayrollSummary {
    const p = this.world.payrollOrThrow(payrollUuid);
    if (!p.processed) throw new ScenarioError(422, 'payroll is not processed');
    p.processed = false;
    p.processedDate = null;
    this.webhooks.emit('payroll.cancelled', p.companyUuid, 'Payroll', p.uuid);
    return summary(p);
  }

  /**
   * A cancelled payroll processed again (Gusto keeps the uuid) → payroll.processed. The figures are the
   * same as before unless `totalsSkewCents`-style changes are made by the caller.
   */
  /** `webhook: false`: the payroll.processed is lost (only a poll can find the payroll). */
  processPayrollAgain(payrollUuid: string, options: { webhook?: boolean } = {}): PayrollSummary {
    const p = this.world.payrollOrThrow(payrollUuid);
    if (p.processed) throw new ScenarioError(422, 'payroll is already processed');
    p.processed = true;
    p.processedDate = this.world.clock.today();
    this.webhooks.emit('payroll.processed', p.companyUuid, 'Payroll', p.uuid, options.webhook === false);
    return summary(p);
  }

  /** Creates the off-cycle 'Reversal' payroll and emits payroll.reversed (or partially_reversed) on the original. */
  reversePayroll(payrollUuid: string, input: ReverseInput = {}): PayrollSummary {
    const w = this.world;
    const original = w.payrollOrThrow(payrollUuid);
    if (!original.processed) throw new ScenarioError(422, 'payroll is not processed');
    const chosen = input.employeeUuids ?? original.comps.map((c) => c.employeeUuid);
    const comps = original.comps
      .filter((c) => chosen.includes(c.employeeUuid))
      .map((c) => reverseCompensation(c, w.knobs.reversalSign));
    if (comps.length === 0) throw new ScenarioError(422, 'no employees of the payroll selected');
    const partial = comps.length < original.comps.length;
    const today = w.clock.today();
    const reversal: PayrollRecord = {
      ...original,
      uuid: w.rng.uuid(),
      checkDate: today,
      processedDate: today,
      calculatedAt: w.nowIso(),
      createdAt: w.nowIso(),
      deadline: `${addDays(today, -1)}T00:00:00Z`,
      offCycle: true,
      offCycleReason: 'Reversal',
      reversalOf: original.uuid,
      reversalPayrollUuids: [],
      comps,
      totals: computeTotals(comps),
      processed: true,
    };
    w.payrolls.set(reversal.uuid, reversal);
    original.reversalPayrollUuids.push(reversal.uuid);
    if (w.knobs.reversalEmitsProcessed)
      this.webhooks.emit('payroll.processed', reversal.companyUuid, 'Payroll', reversal.uuid);
    this.webhooks.emit(
      partial ? 'payroll.partially_reversed' : 'payroll.reversed',
      original.companyUuid,
      'Payroll',
      original.uuid,
    );
    return summary(reversal);
  }

  /** A subscription as if made in the Developer Portal; `verified: false` runs the handshake instead. */
  createSubscription(input: SubscriptionInput): Record<string, unknown> {
    const sub = this.registerSubscription(input.url, input.subscriptionTypes ?? ['Payroll', 'Employee']);
    if (input.verified === false) this.webhooks.sendVerification(sub);
    else sub.status = 'verified';
    return renderSubscription(sub);
  }

  /** As the Developer Portal's "request verification token": the handshake POST is sent again. */
  resendVerificationToken(subscriptionUuid: string): void {
    const sub = this.world.subscriptions.get(subscriptionUuid);
    if (!sub) throw new ScenarioError(404, `no subscription ${subscriptionUuid}`);
    this.webhooks.sendVerification(sub);
  }

  registerSubscription(url: string, types: string[]): Subscription {
    const sub: Subscription = {
      uuid: this.world.rng.uuid(),
      url,
      status: 'pending',
      subscriptionTypes: types,
      verificationToken: this.world.config.verificationToken,
    };
    this.world.subscriptions.set(sub.uuid, sub);
    return sub;
  }

  /** Resolves when every queued webhook delivery (and pending retry) is done. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  private selectEmployees(company: Company, selection: PayrollInput['employees']): EmployeeRecord[] {
    const w = this.world;
    if (Array.isArray(selection))
      return selection.map((uuid) => {
        const e = w.employeeOrThrow(uuid);
        if (e.companyUuid !== company.uuid)
          throw new ScenarioError(422, `employee ${uuid} is not in company ${company.uuid}`);
        return e;
      });
    const active = w.companyEmployees(company.uuid).filter((e) => !w.terminationActive(e));
    if (selection === undefined) return active;
    if (!Number.isInteger(selection) || selection < 1)
      throw new ScenarioError(422, 'employees must be a positive count or a list of uuids');
    while (active.length < selection) {
      const e = newEmployeeRecord(w, company, {});
      w.employees.set(e.uuid, e);
      w.events.push({
        uuid: w.rng.uuid(),
        event_type: 'employee.created',
        resource_type: 'Company',
        resource_uuid: company.uuid,
        entity_type: 'Employee',
        entity_uuid: e.uuid,
        timestamp: w.clock.epochSeconds(),
      });
      active.push(e);
    }
    return active.slice(0, selection);
  }
}

export const departmentUuid = (world: World, company: Company, title: string): string => {
  const existing = company.departments.get(title);
  if (existing) return existing;
  const uuid = world.rng.uuid();
  company.departments.set(title, uuid);
  return uuid;
};

const skewed = (totals: PayrollRecord['totals'], skew: Record<string, number> | undefined): PayrollRecord['totals'] => {
  if (!skew) return totals;
  const out = { ...totals };
  for (const [key, cents] of Object.entries(skew)) {
    if (!(key in out) || !Number.isSafeInteger(cents))
      throw new ScenarioError(422, `totalsSkewCents: unknown total ${key} or not a whole number of cents`);
    out[key as keyof typeof out] += BigInt(cents);
  }
  return out;
};

export const summary = (p: PayrollRecord): PayrollSummary => ({
  uuid: p.uuid,
  company_uuid: p.companyUuid,
  check_date: p.checkDate,
  processed: p.processed,
  off_cycle: p.offCycle,
  off_cycle_reason: p.offCycleReason,
  external: p.external,
  employee_count: p.comps.length,
  totals: renderTotals(p),
  reversal_payroll_uuids: [...p.reversalPayrollUuids],
});

export const renderSubscription = (s: Subscription): Record<string, unknown> => ({
  uuid: s.uuid,
  url: s.url,
  status: s.status,
  subscription_types: [...s.subscriptionTypes],
});
