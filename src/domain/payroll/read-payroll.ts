/**
 * Gusto payroll (wire shape, untrusted) → PayrollPay. Never throws: every problem is a named error
 * with the path of the field (`invalid_payroll` for shape, `malformed_amount` for money).
 */
import { formatCents, isExactCents, type Cents } from '../money';
import type { GustoPayroll } from './gusto-payroll';
import {
  CASH_TIPS,
  DEBIT_TOTALS,
  NET_PAY,
  RECONCILED_TOTALS,
  UNITEMIZED_EARNINGS,
  type ComponentKind,
  type EmployeePay,
  type PayComponent,
  type PayrollPay,
  type PayrollReadError,
} from './pay-components';
import { isObj, MAX_ERRORS, Reader, readRequiredAmount, type Obj } from './payroll-reader';

const LEGACY_REIMBURSEMENT = 'Reimbursement';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_UUID_LENGTH = 100;

export function readPayroll(
  payroll: GustoPayroll,
): { ok: true; pay: PayrollPay } | { ok: false; errors: PayrollReadError[] } {
  const r = new Reader();
  const p: unknown = payroll;
  if (!isObj(p)) {
    r.fail('payroll', 'must be an object');
    return { ok: false, errors: r.errors };
  }
  const payrollUuid = typeof p.uuid === 'string' ? p.uuid : '';
  if (!/^[A-Za-z0-9-]+$/.test(payrollUuid) || payrollUuid.length > MAX_UUID_LENGTH) r.fail('uuid', 'must be a uuid');
  if (p.processed !== true) r.fail('processed', 'the payroll is not processed: only processed payrolls are journaled');
  const checkDate = typeof p.check_date === 'string' && DATE.test(p.check_date) ? p.check_date : '';
  if (checkDate === '') r.fail('check_date', 'must be a date YYYY-MM-DD');
  const payPeriod = readPayPeriod(p.pay_period);
  if (!Array.isArray(p.employee_compensations)) r.fail('employee_compensations', 'must be an array');

  const companyTaxes: PayComponent[] = [];
  r.list(p, 'company_taxes', 'payroll').forEach((t, i) => {
    const path = `company_taxes[${i}]`;
    if (!isObj(t)) return r.fail(path, 'must be an object');
    const name = r.name(t.name, '', 'company_taxes', i, 'name');
    companyTaxes.push({ kind: 'employerTax', name, cents: r.amount(t.amount, '', 'company_taxes', i, 'amount') });
  });

  const totals: PayrollPay['totals'] = {};
  const debits: PayrollPay['debits'] = {};
  if (isObj(p.totals)) {
    const source = p.totals;
    for (const key of RECONCILED_TOTALS) {
      const v = source[key];
      if (v !== undefined && v !== null) totals[key] = r.amount(v, 'totals', '', -1, key);
    }
    for (const key of DEBIT_TOTALS) {
      const v = source[key];
      if (v !== undefined && v !== null) debits[key] = r.amount(v, 'totals', '', -1, key);
    }
  } else if (p.totals !== undefined && p.totals !== null) r.fail('totals', 'must be an object');

  const warnings: string[] = [];
  const residual = { count: 0, cents: 0 };
  const employees: EmployeePay[] = [];
  const seen = new Set<string>();
  const comps = Array.isArray(p.employee_compensations) ? p.employee_compensations : [];
  for (let i = 0; i < comps.length && r.errors.length < MAX_ERRORS; i++) {
    const e = readEmployee(r, comps[i], i, residual);
    if (e === null) continue;
    if (seen.has(e.employeeUuid))
      r.fail(`employee_compensations[${i}].employee_uuid`, `employee ${e.employeeUuid} appears twice`);
    seen.add(e.employeeUuid);
    employees.push(e);
  }
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  if (residual.count > 0) {
    warnings.push(
      `${residual.count} employee(s): gross_pay differs from the itemized compensations by ${formatCents(residual.cents)} in all; ` +
        `posted as "${UNITEMIZED_EARNINGS}"`,
    );
  }
  return {
    ok: true,
    pay: {
      payrollUuid,
      checkDate,
      payPeriod,
      debitDate: readDebitDate(p),
      offCycle: p.off_cycle === true,
      offCycleReason: typeof p.off_cycle_reason === 'string' ? p.off_cycle_reason : null,
      employees,
      companyTaxes,
      totals,
      debits,
      warnings,
    },
  };
}

function readDebitDate(p: Record<string, unknown>): string | null {
  const moved = isObj(p.payment_speed_changed) ? p.payment_speed_changed.current_debit_date : undefined;
  if (typeof moved === 'string' && DATE.test(moved)) return moved;
  const expected = isObj(p.payroll_status_meta) ? p.payroll_status_meta.expected_debit_time : undefined;
  return typeof expected === 'string' && DATE.test(expected.slice(0, 10)) ? expected.slice(0, 10) : null;
}

function readPayPeriod(v: unknown): PayrollPay['payPeriod'] {
  if (!isObj(v)) return null;
  const { start_date: start, end_date: end } = v;
  return typeof start === 'string' && typeof end === 'string' && DATE.test(start) && DATE.test(end)
    ? { startDate: start, endDate: end }
    : null;
}

function readEmployee(
  r: Reader,
  raw: unknown,
  i: number,
  residualSeen: { count: number; cents: Cents },
): EmployeePay | null {
  const path = `employee_compensations[${i}]`;
  if (!isObj(raw)) {
    r.fail(path, 'must be an object');
    return null;
  }
  if (raw.excluded === true) return null;
  const employeeUuid = r.name(raw.employee_uuid, path, '', -1, 'employee_uuid');
  const components: PayComponent[] = [];
  const push = (kind: ComponentKind, name: string, cents: Cents): void => {
    components.push({ kind, name, cents });
  };

  let itemized = 0;
  // API ≤ 2025-06-15 had no `reimbursements` array and listed them as a fixed compensation "Reimbursement"
  // (gusto.md §4.5): paid out with net pay, not part of gross pay.
  const legacyShape = raw.reimbursements === undefined;
  for (const key of ['fixed_compensations', 'hourly_compensations'] as const) {
    r.eachObject(raw, key, path, (c, j) => {
      const name = r.name(c.name, path, key, j, 'name');
      const cents = r.amount(c.amount, path, key, j, 'amount');
      if (name === LEGACY_REIMBURSEMENT && key === 'fixed_compensations' && legacyShape) {
        push('reimbursement', name, cents);
        return;
      }
      itemized += cents;
      push(name === CASH_TIPS ? 'cashTips' : 'earning', name, cents);
    });
  }
  const taxes = r.list(raw, 'taxes', path);
  for (let j = 0; j < taxes.length; j++) {
    const t = taxes[j];
    if (!isObj(t) || typeof t.employer !== 'boolean') {
      r.fail(`${path}.taxes[${j}]`, 'must be an object with a boolean `employer`');
      continue;
    }
    const name = r.name(t.name, path, 'taxes', j, 'name');
    push(t.employer ? 'employerTax' : 'employeeTax', name, r.amount(t.amount, path, 'taxes', j, 'amount'));
  }
  r.eachObject(raw, 'benefits', path, (b, j) => {
    const name = r.name(b.name, path, 'benefits', j, 'name');
    const imputed = b.imputed === true ? { imputed: true } : {};
    const ee = r.amount(b.employee_deduction ?? 0, path, 'benefits', j, 'employee_deduction');
    const er = r.amount(b.company_contribution ?? 0, path, 'benefits', j, 'company_contribution');
    components.push({ kind: 'benefitEmployee', name, cents: ee, ...imputed });
    // An imputed contribution is income for tax purposes only: not cash, not owed to anyone (TREATMENT.md).
    components.push({ kind: b.imputed === true ? 'benefitImputed' : 'benefitCompany', name, cents: er, ...imputed });
  });
  readNamed(r, raw, path, 'deductions', 'name', 'deduction', push);
  readNamed(r, raw, path, 'reimbursements', 'description', 'reimbursement', push);

  const grossPay = readRequiredAmount(r, raw.gross_pay, path, 'gross_pay');
  const netPay = readRequiredAmount(r, raw.net_pay, path, 'net_pay');
  push('netPay', NET_PAY, netPay);
  const residual = grossPay - itemized;
  if (residual !== 0 && isExactCents(residual)) {
    push('earning', UNITEMIZED_EARNINGS, residual);
    residualSeen.count += 1;
    residualSeen.cents += residual;
  }
  return {
    employeeUuid,
    displayName: displayName(raw, employeeUuid),
    department: department(raw.department),
    grossPay,
    netPay,
    components,
  };
}

function readNamed(
  r: Reader,
  raw: Obj,
  path: string,
  key: 'deductions' | 'reimbursements',
  nameKey: 'name' | 'description',
  kind: ComponentKind,
  push: (kind: ComponentKind, name: string, cents: Cents) => void,
): void {
  r.eachObject(raw, key, path, (d, j) =>
    push(kind, r.name(d[nameKey], path, key, j, nameKey), r.amount(d.amount, path, key, j, 'amount')),
  );
}

function department(v: unknown): string | null {
  return typeof v === 'string' && v.trim().length > 0 ? v : null;
}

function displayName(raw: Obj, uuid: string): string {
  const preferred = raw.preferred_first_name;
  const first = typeof preferred === 'string' && preferred !== '' ? preferred : raw.first_name;
  const last = raw.last_name;
  const f = typeof first === 'string' ? first : '';
  const l = typeof last === 'string' ? last : '';
  return f === '' ? (l === '' ? uuid : l) : l === '' ? f : `${f} ${l}`;
}
