/**
 * The scenario API: what happens "inside Gusto" (an admin hires, runs payroll, cancels, reverses…).
 * The same methods back the HTTP routes under /sandbox (scenario-routes.ts); inputs are plain JSON
 * (scenario-inputs.ts); employee and payroll records are made by employee-factory.ts and payroll-factory.ts.
 */
import { departmentUuid, newEmployeeRecord } from './employee-factory';
import { renderEmployee } from './employee-view';
import type { Company, EmployeeRecord, Subscription } from './model';
import { checkPayrollInput, newPayroll, newReversal } from './payroll-factory';
import type {
  CompanyInput,
  EmployeeInput,
  EmployeeUpdate,
  PayrollInput,
  RehireInput,
  ReverseInput,
  SubscriptionInput,
  TerminationInput,
} from './scenario-inputs';
import { type PayrollSummary, renderSubscription, summary } from './scenario-views';
import { isDate } from './support';
import type { WebhookDispatcher } from './webhooks';
import { ScenarioError, type World } from './world';

export type * from './scenario-inputs';
export type { PayrollSummary } from './scenario-views';

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
    return this.changed(e, 'employee.updated');
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
    return this.changed(e, 'employee.terminated');
  }

  rehireEmployee(employeeUuid: string, input: RehireInput): Record<string, unknown> {
    const e = this.world.employeeOrThrow(employeeUuid);
    if (!isDate(input.effectiveDate)) throw new ScenarioError(422, 'effectiveDate must be YYYY-MM-DD');
    if (!e.termination) throw new ScenarioError(422, 'employee is not terminated');
    e.history.push({ hireDate: e.rehire?.effectiveDate ?? e.hireDate, terminationDate: e.termination.effectiveDate });
    e.termination = null;
    e.rehire = { effectiveDate: input.effectiveDate, createdAt: this.world.nowIso() };
    return this.changed(e, 'employee.rehired');
  }

  /** A change to an employee: its version moves on and the webhook is sent; answers the employee. */
  private changed(e: EmployeeRecord, type: string): Record<string, unknown> {
    e.version++;
    this.webhooks.emit(type, e.companyUuid, 'Employee', e.uuid);
    return renderEmployee(this.world, e);
  }

  runPayroll(companyUuid: string, input: PayrollInput = {}): PayrollSummary {
    const w = this.world;
    const company = w.companyOrThrow(companyUuid);
    checkPayrollInput(input);
    const employees = this.selectEmployees(company, input.employees);
    if (employees.length === 0) throw new ScenarioError(422, 'no employees to pay');
    const payroll = newPayroll(w, company, employees, input);
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
    const reversal = newReversal(w, original, input);
    const partial = reversal.comps.length < original.comps.length;
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
