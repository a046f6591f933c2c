/**
 * Issue 14's e2e set-ups, shared by the books, accrual and restart tests: the mappings (bank cash mode,
 * month-end accrual) and the crew whose payroll exercises every bank-mode rule.
 */
import { bankCashAccounts } from '../../../src/sandbox/example-mapping';
import { cents, specMapping, type PostingWorld } from './support';

/** The spec's example mapping in bank cash mode (one cash line per Gusto withdrawal). */
export const bankMapping = (): Record<string, any> => {
  const m = specMapping();
  m.journal.cash = 'bank';
  Object.assign(m.accounts, bankCashAccounts());
  return m;
};

/** The spec's example mapping with month-end accrual; `account: false` leaves accruedPayroll unmapped. */
export const accrualMapping = (options: { release?: boolean; account?: boolean } = {}): Record<string, any> => {
  const m = specMapping();
  m.journal.accrual = { enabled: true };
  if (options.release) m.journal.release = true;
  if (options.account !== false) m.accounts.accruedPayroll = { account: '22000' };
  return m;
};

/** Hires the three people every bank-mode case needs: imputed GTL (salaried $120k), a paper check, child support. */
export function hireBooksCrew(world: PostingWorld): string[] {
  const s = world.gusto.scenario;
  const hire = (input: Record<string, string>) =>
    s.createEmployee(world.companyUuid, input as never, true).uuid as string;
  return [
    hire({
      firstName: 'Avery',
      lastName: 'Chen',
      department: 'Engineering',
      rate: '120000.00',
      paymentUnit: 'Year',
      paymentMethod: 'Direct Deposit',
    }),
    hire({
      firstName: 'Jordan',
      lastName: 'Ruiz',
      department: 'Operations',
      rate: '24.00',
      paymentUnit: 'Hour',
      paymentMethod: 'Check',
    }),
    hire({
      firstName: 'Kim',
      lastName: 'Novak',
      department: 'Sales',
      rate: '70000.00',
      paymentUnit: 'Year',
      paymentMethod: 'Direct Deposit',
      childSupport: '150.00',
    }),
  ];
}

/** The bank-mode cash lines (account 10200) of a stored journal, in cents, smallest first. */
export const bankLinesOf = (journal: { Details: Array<Record<string, unknown>> }): number[] =>
  journal.Details.filter((d) => d.Account === '10200')
    .map((d) => cents(d.CreditAmount))
    .sort((a, b) => a - b);

/** Gusto's withdrawals of a payroll, in cents, smallest first (zero ones left out). */
export const withdrawalsOf = (totals: Record<string, string>): number[] =>
  ['net_pay_debit', 'tax_debit', 'reimbursement_debit', 'child_support_debit']
    .map((k) => cents(totals[k]))
    .filter((c) => c !== 0)
    .sort((a, b) => a - b);

/** What Gusto pays out but does not withdraw (paper checks): the expected outstandingChecks credit, in cents. */
export const outstandingOf = (t: Record<string, string>): number =>
  cents(t.net_pay) - cents(t.net_pay_debit) + cents(t.reimbursements) - cents(t.reimbursement_debit);

/**
 * A payroll whose pay period crosses a month end: check date 2026-12-09, period 2026-11-20 … 2026-12-03 (11 of
 * its 14 days in November), so a mapping with accrual posts one for 2026-11.
 */
export const runAcrossMonthEnd = (world: PostingWorld, employees = 2, options: { webhook?: boolean } = {}): any =>
  world.gusto.scenario.runPayroll(world.companyUuid, { employees, checkDate: '2026-12-09', ...options } as never);

/** Two salaried engineers (department Engineering, whose subaccount the spec's mapping names): their uuids. */
export const hireEngineers = (world: PostingWorld): string[] =>
  [0, 1].map(
    (i) =>
      world.gusto.scenario.createEmployee(
        world.companyUuid,
        { firstName: `Eng${i}`, department: 'Engineering', rate: '90000.00', paymentUnit: 'Year' },
        true,
      ).uuid as string,
  );
