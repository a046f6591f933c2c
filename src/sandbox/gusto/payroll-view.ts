/**
 * Payroll records → Gusto JSON, version-aware (reference §4.3–4.6): per-employee money is a string from
 * 2026-06-15 and a JSON number before; before 2025-11-15 reimbursements sit in fixed_compensations and
 * `auto_payroll` is `auto_pilot`. Totals and compensation line amounts are strings in every version.
 */
import type { CompensationRecord, PayrollRecord } from './model';
import { TOTAL_KEYS } from './model';
import { addDays, formatCents, formatMilli, type Cents } from './support';
import type { World } from './world';

export interface RenderContext {
  version: string;
  include: Set<string>;
}

const stringMoney = (v: string): boolean => v >= '2026-06-15';
const dedicatedReimbursements = (v: string): boolean => v >= '2025-11-15';

const perEmployee = (ctx: RenderContext, c: Cents): string | number =>
  stringMoney(ctx.version) ? formatCents(c) : Number(formatCents(c));

const header = (world: World, p: PayrollRecord, ctx: RenderContext): Record<string, unknown> => {
  const out: Record<string, unknown> = {
    uuid: p.uuid,
    payroll_uuid: p.uuid,
    company_uuid: p.companyUuid,
    payroll_deadline: p.deadline,
    check_date: p.checkDate,
    processed: p.processed,
    processed_date: p.processedDate,
    calculated_at: p.calculatedAt,
    off_cycle: p.offCycle,
  };
  if (p.offCycle) {
    Object.assign(out, {
      off_cycle_reason: p.offCycleReason,
      final_termination_payroll: p.offCycleReason === 'Dismissed employee',
      withholding_pay_period: 'Every other week',
      skip_regular_deductions: p.offCycleReason === 'Bonus',
      fixed_withholding_rate: p.offCycleReason === 'Bonus',
    });
  }
  out[dedicatedReimbursements(ctx.version) ? 'auto_payroll' : 'auto_pilot'] = false;
  out.external = p.external;
  out.pay_period = {
    start_date: p.periodStart,
    end_date: p.periodEnd,
    pay_schedule_uuid: world.companies.get(p.companyUuid)?.payScheduleUuid ?? null,
  };
  if (ctx.include.has('payroll_status_meta')) out.payroll_status_meta = statusMeta(world, p, ctx);
  return out;
};

const statusMeta = (world: World, p: PayrollRecord, ctx: RenderContext): Record<string, unknown> => {
  const nullOnOffCycle = p.offCycle && stringMoney(ctx.version);
  return {
    cancellable: p.processed && world.clock.now().toISOString() < p.deadline,
    expected_check_date: p.checkDate,
    initial_check_date: nullOnOffCycle ? null : p.checkDate,
    expected_debit_time: `${addDays(p.checkDate, -1)}T23:00:00Z`,
    payroll_late: nullOnOffCycle ? null : false,
    initial_debit_cutoff_time: p.deadline,
  };
};

export const renderTotals = (p: PayrollRecord): Record<string, string> =>
  Object.fromEntries(TOTAL_KEYS.map((k) => [k, formatCents(p.totals[k])]));

const renderCompensation = (c: CompensationRecord, p: PayrollRecord, ctx: RenderContext): Record<string, unknown> => {
  const fixed = c.fixed.map((f) => ({ name: f.name, amount: formatCents(f.cents), job_uuid: f.jobUuid }));
  const jobUuid = c.hourly[0]?.jobUuid ?? c.fixed[0]?.jobUuid ?? null;
  if (!dedicatedReimbursements(ctx.version)) {
    for (const r of c.reimbursements)
      fixed.push({ name: 'Reimbursement', amount: formatCents(r.cents), job_uuid: jobUuid ?? '' });
  }
  const out: Record<string, unknown> = {
    employee_uuid: c.employeeUuid,
    excluded: false,
    first_name: c.firstName,
    preferred_first_name: null,
    last_name: c.lastName,
    gross_pay: perEmployee(ctx, c.gross),
    net_pay: perEmployee(ctx, c.net),
    check_amount: perEmployee(ctx, c.check),
    payment_method: c.paymentMethod,
    memo: null,
    fixed_compensations: fixed,
    hourly_compensations: c.hourly.map((h) => ({
      name: h.name,
      hours: formatMilli(h.milliHours),
      amount: formatCents(h.cents),
      job_uuid: h.jobUuid,
      compensation_multiplier: h.multiplier,
      flsa_status: h.flsaStatus,
    })),
    paid_time_off: c.pto.map((t) => ({
      name: t.name,
      hours: formatMilli(t.milliHours),
      final_payout_unused_hours_input: null,
    })),
  };
  if (dedicatedReimbursements(ctx.version)) {
    out.reimbursements = c.reimbursements.map((r) => ({ amount: formatCents(r.cents), description: r.name }));
  }
  if (ctx.include.has('deductions') || !p.offCycle) {
    out.deductions = c.deductions.map((d) => ({ name: d.name, amount: perEmployee(ctx, d.cents) }));
  }
  if (ctx.include.has('taxes'))
    out.taxes = c.taxes.map((t) => ({ name: t.name, employer: t.employer, amount: perEmployee(ctx, t.cents) }));
  if (ctx.include.has('benefits') && p.processed) {
    out.benefits = c.benefits.map((b) => ({
      name: b.name,
      employee_deduction: perEmployee(ctx, b.employee),
      company_contribution: perEmployee(ctx, b.company),
      imputed: b.imputed === true,
    }));
  }
  return out;
};

/** `GET …/payrolls/:id` body for one page of employee_compensations. */
export const renderPayrollShow = (
  world: World,
  p: PayrollRecord,
  ctx: RenderContext,
  comps: readonly CompensationRecord[],
  firstPage: boolean,
): Record<string, unknown> => {
  const out = header(world, p, ctx);
  const whole = firstPage || world.knobs.totalsOnEveryPage;
  if (ctx.include.has('totals') && whole) out.totals = renderTotals(p);
  if (ctx.include.has('taxes') && whole) out.company_taxes = [];
  if (ctx.include.has('payroll_taxes') && whole) out.payroll_taxes = payrollTaxes(p);
  if (ctx.include.has('reversals')) out.reversal_payroll_uuids = [...p.reversalPayrollUuids];
  Object.assign(out, {
    created_at: p.createdAt,
    submission_blockers: [],
    credit_blockers: [],
    processing_request: { status: p.processed ? 'submit_success' : 'calculate_success', errors: [] },
    partner_owned_disbursement: null,
    employee_compensations: comps.map((c) => renderCompensation(c, p, ctx)),
  });
  return out;
};

/** Payroll-Minimal, as the list answers it. */
export const renderPayrollListItem = (world: World, p: PayrollRecord, ctx: RenderContext): Record<string, unknown> => {
  const out = header(world, p, ctx);
  if (ctx.include.has('totals')) out.totals = renderTotals(p);
  if (ctx.include.has('taxes')) out.company_taxes = [];
  Object.assign(out, { created_at: p.createdAt, submission_blockers: [], credit_blockers: [] });
  if (ctx.include.has('reversals')) out.reversal_payroll_uuids = [...p.reversalPayrollUuids];
  return out;
};

const payrollTaxes = (p: PayrollRecord): Array<{ name: string; employer: boolean; amount: number }> => {
  const byKey = new Map<string, { name: string; employer: boolean; cents: Cents }>();
  for (const c of p.comps)
    for (const t of c.taxes) {
      const key = `${t.name}|${t.employer}`;
      const acc = byKey.get(key) ?? { name: t.name, employer: t.employer, cents: 0n };
      acc.cents += t.cents;
      byKey.set(key, acc);
    }
  return [...byKey.values()].map((t) => ({ name: t.name, employer: t.employer, amount: Number(formatCents(t.cents)) }));
};
