/** Employee (EP203000): PUT create/update (key EmployeeID or id), GET by key or filter, history lines. */
import { Ctx, notFoundByKey, send, sendError } from './http';
import { sendList, sendOne } from './query';
import { applyDetails, assign, dateOnly, EntityInput } from './entity-input';
import { render } from './render';
import { EmployeeSchema, Rec } from './schema';
import type { Store } from './store';
import type { EmployeeEdit, SandboxKnobs } from './types';
import { required } from '../../domain/shared/required';

const ENTITY = 'Employee';
const HISTORY = required(EmployeeSchema.details, 'the employee details').EmploymentHistory;
const STATUSES = ['Active', 'On Hold', 'Hold Payments', 'Inactive', 'One-Time'];
const START_REASONS = ['New Hire', 'Rehire', 'Promotion', 'Demotion', 'New Skills', 'Reorganization', 'Other'];
const TERMINATION_REASONS = [
  'Retirement',
  'Layoff',
  'Terminated for Cause',
  'Resignation',
  'Deceased',
  'Medical Issues',
];

/** Class defaults (EMPSTAND & co.) filled in when a new employee doesn't say. */
const SETTINGS_DEFAULTS = {
  BranchID: 'HEADOFFICE',
  Calendar: 'MAIN',
  CurrencyID: 'USD',
  CurrencyRateTypeID: 'SPOT',
  EmployeeClass: 'EMPSTAND',
  EnableCurrencyOverride: false,
  EnableRateOverride: false,
  RegularHoursValidation: 'Validate',
  RouteEmails: false,
  TimeCardIsRequired: false,
};
const FINANCIAL_DEFAULTS = {
  APAccount: '20000',
  APSubaccount: '000000',
  CashAccount: '10100',
  ExpenseAccount: '60000',
  ExpenseSubaccount: '000000',
  PaymentMethod: 'CHECK',
  PrepaymentAccount: '12000',
  PrepaymentSubaccount: '000000',
  SalesAccount: '40000',
  SalesSubaccount: '000000',
  Terms: '7D',
};

export class Employees {
  readonly schema = EmployeeSchema;
  constructor(
    private readonly store: Store,
    private readonly knobs: SandboxKnobs,
  ) {}

  list(ctx: Ctx): void {
    sendList(ctx, ENTITY, EmployeeSchema, this.store.employees);
  }

  get(ctx: Ctx, keys: string[]): void {
    const rec = keys.length === 1 ? this.find(keys[0]) : undefined;
    if (!rec) return notFoundByKey(ctx);
    sendOne(ctx, ENTITY, EmployeeSchema, rec);
  }

  private find(key: string): Rec | undefined {
    return this.store.employees.find((e) => e.f.EmployeeID === key || e.id.toLowerCase() === key.toLowerCase());
  }

  put(ctx: Ctx, input: EntityInput): void {
    const target = input.id
      ? this.find(input.id)
      : input.f.EmployeeID
        ? this.find(String(input.f.EmployeeID))
        : undefined;
    if (ctx.req.headers['if-none-match'] === '*' && target) return sendError(ctx, 412, 'The record already exists.');
    if (ctx.req.headers['if-match'] === '*' && !target) return sendError(ctx, 412, 'The record does not exist.');
    const cand: Rec = target ? structuredClone(target) : this.store.newRec(EmployeeSchema);
    if (!target) {
      cand.f.Status = 'Active';
      Object.assign(cand.linked.EmployeeSettings.f, SETTINGS_DEFAULTS);
      Object.assign(cand.linked.FinancialSettings.f, FINANCIAL_DEFAULTS);
    }
    const { EmployeeID: _auto, EmployeeName: _ro, LastModifiedDateTime: _lm, ...writable } = input.f;
    assign(cand, { ...input, f: writable }, EmployeeSchema);
    for (const li of input.details.EmploymentHistory ?? []) {
      for (const k of ['StartDate', 'EndDate']) {
        const v = li.f[k];
        if (typeof v === 'string') li.f[k] = dateOnly(v, this.knobs.dateOnlyShiftHours);
      }
    }
    applyDetails(
      cand,
      'EmploymentHistory',
      input.details.EmploymentHistory,
      () => this.store.newRec(HISTORY),
      (line) => {
        Object.assign(line.f, { Active: true, Terminated: false, RehireEligible: false });
      },
    );
    const c = cand.linked.ContactInfo.f;
    cand.f.EmployeeName = [c.FirstName, c.LastName].filter((x) => typeof x === 'string' && x !== '').join(' ') || null;
    if (this.validate(cand)) {
      cand.error = `${target ? 'Updating' : 'Inserting'} 'Employee' record raised at least one error. Please review the errors.`;
      if (!target) cand.f.EmployeeID = '<NEW>';
      const expand = ['ContactInfo', 'EmployeeSettings', 'EmploymentHistory'];
      return send(ctx, 422, render(cand, EmployeeSchema, { base: ctx.base, entity: ENTITY, expand, rowNumber: 1 }));
    }
    cand.f.LastModifiedDateTime = this.store.nowIso();
    if (!target) {
      const supplied =
        this.knobs.honourSuppliedKeys && typeof input.f.EmployeeID === 'string' ? input.f.EmployeeID : undefined;
      cand.f.EmployeeID = supplied ?? this.store.nextEmployeeId();
      this.store.employees.push(cand);
    } else this.store.employees[this.store.employees.indexOf(target)] = cand;
    sendOne(ctx, ENTITY, EmployeeSchema, cand);
  }

  /** Field errors onto the candidate; true when there are any. */
  private validate(rec: Rec): boolean {
    let bad = false;
    const err = (r: Rec, field: string, text: string): void => {
      r.errors = { ...(r.errors ?? {}), [field]: text };
      bad = true;
    };
    const s = rec.linked.EmployeeSettings;
    const dept = s.f.DepartmentID;
    if (dept === null || dept === '') err(s, 'DepartmentID', "'Department ID' cannot be empty.");
    else if (!this.store.departments.has(String(dept)))
      err(s, 'DepartmentID', "Error: 'Department ID' cannot be found in the system.");
    if (!this.store.branches.has(String(s.f.BranchID)))
      err(s, 'BranchID', "Error: 'Branch' cannot be found in the system.");
    if (!this.store.employeeClasses.has(String(s.f.EmployeeClass)))
      err(s, 'EmployeeClass', "Error: 'Employee Class' cannot be found in the system.");
    if (!STATUSES.includes(String(rec.f.Status)))
      err(rec, 'Status', `Error: The value '${String(rec.f.Status)}' is not in the list of allowed values.`);
    const c = rec.linked.ContactInfo;
    if (!c.f.LastName) err(c, 'LastName', "'Last Name' cannot be empty.");
    let active = 0;
    for (const line of rec.details.EmploymentHistory) {
      if (line.f.Active) active++;
      if (line.f.StartDate === null) err(line, 'StartDate', "'Start Date' cannot be empty.");
      if (line.f.StartReason !== null && !START_REASONS.includes(String(line.f.StartReason))) {
        err(
          line,
          'StartReason',
          `Error: The value '${String(line.f.StartReason)}' is not in the list of allowed values.`,
        );
      }
      if (line.f.TerminationReason !== null && !TERMINATION_REASONS.includes(String(line.f.TerminationReason))) {
        err(
          line,
          'TerminationReason',
          `Error: The value '${String(line.f.TerminationReason)}' is not in the list of allowed values.`,
        );
      }
      if (line.f.Active && line.f.Terminated)
        err(line, 'Terminated', 'Error: An active position cannot be terminated.');
      if (line.f.EndDate && line.f.StartDate && String(line.f.EndDate) < String(line.f.StartDate)) {
        err(line, 'EndDate', 'Error: The end date cannot be earlier than the start date.');
      }
    }
    if (active > 1) {
      const last = rec.details.EmploymentHistory.filter((l) => l.f.Active).pop();
      if (last) err(last, 'Active', 'Error: The employee can have only one active position.');
    }
    return bad;
  }

  /** A change "by hand" in the Acumatica UI (bumps LastModifiedDateTime). */
  editByHand(employeeId: string, edit: EmployeeEdit): void {
    const rec = this.find(employeeId);
    if (!rec) throw new Error(`No employee ${employeeId} in the sandbox`);
    if (edit.Status !== undefined) rec.f.Status = edit.Status;
    for (const k of ['FirstName', 'LastName', 'Email'] as const) {
      const value = edit[k];
      if (value !== undefined) rec.linked.ContactInfo.f[k] = value;
    }
    for (const k of ['DepartmentID', 'EmployeeRefNbr'] as const) {
      const value = edit[k];
      if (value !== undefined) rec.linked.EmployeeSettings.f[k] = value;
    }
    const c = rec.linked.ContactInfo.f;
    rec.f.EmployeeName = [c.FirstName, c.LastName].filter(Boolean).join(' ');
    rec.f.LastModifiedDateTime = this.store.nowIso();
  }
}
