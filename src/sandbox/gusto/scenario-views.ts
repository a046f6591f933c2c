/** What the scenario API answers: a payroll's summary and a subscription. */
import type { PayrollRecord, Subscription } from './model';
import { renderTotals } from './payroll-view';

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
