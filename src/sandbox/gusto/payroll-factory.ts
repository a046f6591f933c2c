/** Makes payroll records: a processed payroll of chosen employees, and the off-cycle reversal of one. */
import type { Company, EmployeeRecord, PayrollRecord } from './model';
import { computeTotals, generateCompensation, reverseCompensation } from './payroll-generator';
import type { PayrollInput, ReverseInput } from './scenario-inputs';
import { addDays, isDate } from './support';
import { ScenarioError, type World } from './world';

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

/** Checks a payroll's input before anything is drawn from the random source. */
export function checkPayrollInput(input: PayrollInput): void {
  const reason = offCycleReason(input);
  if (reason !== null && !OFF_CYCLE_REASONS.includes(reason))
    throw new ScenarioError(422, `unknown off_cycle_reason ${reason}`);
  if (input.checkDate !== undefined && !isDate(input.checkDate))
    throw new ScenarioError(422, 'checkDate must be YYYY-MM-DD');
}

const offCycleReason = (input: PayrollInput): string | null =>
  input.offCycle ? (input.offCycleReason ?? 'Bonus') : null;

/** A processed payroll: regular ones follow the last regular check date by 14 days. */
export function newPayroll(
  w: World,
  company: Company,
  employees: EmployeeRecord[],
  input: PayrollInput,
): PayrollRecord {
  const reason = offCycleReason(input);
  const regulars = w
    .companyPayrolls(company.uuid)
    .filter((p) => !p.offCycle && !p.external)
    .sort((a, b) => a.checkDate.localeCompare(b.checkDate));
  const last = regulars[regulars.length - 1];
  const checkDate = input.checkDate ?? (last && !input.offCycle ? addDays(last.checkDate, 14) : w.clock.today());
  const periodEnd = input.offCycle ? checkDate : addDays(checkDate, -6);
  const external = input.external ?? false;
  const comps = employees.map((e) =>
    generateCompensation(w.rng, company, e, { offCycleReason: reason, external, hourlyPtoPay: w.knobs.hourlyPtoPay }),
  );
  return {
    uuid: w.rng.uuid(),
    companyUuid: company.uuid,
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
}

/** The off-cycle 'Reversal' payroll of a processed one (all its employees, or those chosen). */
export function newReversal(w: World, original: PayrollRecord, input: ReverseInput): PayrollRecord {
  if (!original.processed) throw new ScenarioError(422, 'payroll is not processed');
  const chosen = input.employeeUuids ?? original.comps.map((c) => c.employeeUuid);
  const comps = original.comps
    .filter((c) => chosen.includes(c.employeeUuid))
    .map((c) => reverseCompensation(c, w.knobs.reversalSign));
  if (comps.length === 0) throw new ScenarioError(422, 'no employees of the payroll selected');
  const today = w.clock.today();
  return {
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
}

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
