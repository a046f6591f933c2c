/**
 * Bank cash mode (`journal.cash: "bank"`): the credits for money Gusto moves become cash lines, one per
 * Gusto withdrawal, so the bank feed matches the journal 1:1 (TREATMENT.md "Bank cash mode").
 *
 *   netPayDebit        = totals.net_pay_debit        (net pay by direct deposit)
 *   taxDebit           = totals.tax_debit            (taxes Gusto remits)
 *   reimbursementDebit = totals.reimbursement_debit  (reimbursements by direct deposit)
 *   childSupportDebit  = totals.child_support_debit  (garnishments Gusto remits)
 *   outstandingChecks  = (net_pay − net_pay_debit) + (reimbursements − reimbursement_debit)   (paper checks)
 *
 * What they replace: every `netPay` credit; the tax liabilities, except the taxes Gusto does not remit
 * (taxes − tax_debit, split between employee and employer tax liability in proportion to the two, integer
 * cents); the child support deductions on `deductionLiability`. Deductions and benefits Gusto does not
 * pay stay liabilities. Refused, with the difference named: a missing `*_debit`, `company_debit` ≠ the
 * sum of the four withdrawals, child support deductions ≠ `child_support_debit` beyond the rounding
 * tolerance. Named as warnings: a withdrawal larger than (or of the other sign to) what it pays for, taxes
 * Gusto does not remit, `totals.check_amount` ≠ the paper checks outstanding.
 */
import { formatCents, type Cents } from '../money';
import type { Role } from '../mapping/account-mapping';
import type { DebitTotal, InvalidPayroll, PayrollPay } from '../payroll/pay-components';
import { mismatch, type PayrollSums, type TotalsMismatch } from '../payroll/reconcile';
import type { Posting, PostingGroup } from './postings';

/** A post-tax deduction Gusto remits itself, paid from `child_support_debit`. */
export const isChildSupport = (name: string): boolean => /child support/i.test(name);

const COMPANY: PostingGroup = { department: null, employeeUuid: null, employeeName: null };
const REQUIRED: readonly DebitTotal[] = [
  'company_debit',
  'net_pay_debit',
  'tax_debit',
  'reimbursement_debit',
  'child_support_debit',
];

export interface BankCashPlan {
  /** The cash postings (and the tax remainder), payroll-level. */
  postings: Posting[];
  /** True for a collected posting the plan replaces (removed before its own postings are added). */
  replaces: (p: Posting) => boolean;
  /** Each role's total the journal must carry in bank mode, where it differs from liabilities mode. */
  expected: Partial<Record<Role, Cents>>;
  warnings: string[];
  /** Gusto's totals minus the employee lines that the plan absorbed within tolerance (rounding), per source. */
  tolerated: string[];
}

export type BankCashResult =
  { ok: true; plan: BankCashPlan } | { ok: false; errors: Array<TotalsMismatch | InvalidPayroll> };

/** `part` lies between 0 and `whole` (both signs: reversal payrolls are negative). */
const within = (part: Cents, whole: Cents): boolean =>
  whole >= 0 ? part >= 0 && part <= whole : part <= 0 && part >= whole;

export function planBankCash(pay: PayrollPay, sums: PayrollSums, toleranceCents: number): BankCashResult {
  const errors: Array<TotalsMismatch | InvalidPayroll> = [];
  const d = pay.debits;
  for (const key of REQUIRED) {
    if (d[key] === undefined) {
      errors.push({
        code: 'invalid_payroll',
        path: `totals.${key}`,
        message: `totals.${key}: bank cash mode needs Gusto's ${key} (one cash line per withdrawal)`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const npd = d.net_pay_debit as Cents;
  const td = d.tax_debit as Cents;
  const rd = d.reimbursement_debit as Cents;
  const csd = d.child_support_debit as Cents;
  const company = d.company_debit as Cents;

  // Gusto's totals where it sent them (they were reconciled against the employees, within tolerance).
  const net = pay.totals.net_pay ?? sums.net_pay;
  const reimbursements = pay.totals.reimbursements ?? sums.reimbursements;
  const taxes = sums.employee_taxes + sums.employer_taxes;
  let childSupport = 0;
  for (const e of pay.employees)
    for (const c of e.components) if (c.kind === 'deduction' && isChildSupport(c.name)) childSupport += c.cents;

  const withdrawals = npd + td + rd + csd;
  if (withdrawals !== company) {
    errors.push(
      cashMismatch(
        'totals.company_debit',
        company,
        withdrawals,
        'the sum of net_pay_debit, tax_debit, reimbursement_debit and child_support_debit',
      ),
    );
  }
  const tolerated: string[] = [];
  if (csd !== childSupport) {
    const diff = csd - childSupport;
    if (Math.abs(diff) > toleranceCents)
      errors.push(cashMismatch('totals.child_support_debit', csd, childSupport, 'the child support deductions'));
    else
      tolerated.push(
        `totals.child_support_debit ${formatCents(csd)} against child support deductions ${formatCents(childSupport)} (difference ${formatCents(diff)})`,
      );
  }
  if (errors.length > 0) return { ok: false, errors };

  const outstanding = net - npd + (reimbursements - rd);
  const remainder = taxes - td;
  const split = splitInProportion(remainder, sums.employee_taxes, sums.employer_taxes);
  // The withdrawal's own date, so the line matches the bank feed; the check date when Gusto gave none (said so).
  const on = pay.debitDate
    ? `debited ${pay.debitDate}, payroll of check date ${pay.checkDate}`
    : `payroll of check date ${pay.checkDate} (Gusto gave no debit date)`;
  const paper = `payroll of check date ${pay.checkDate}`;
  const postings: Posting[] = [];
  const cash = (role: Role, component: string, cents: Cents, memo: string): void => {
    if (cents !== 0) postings.push({ role, component, cents, group: COMPANY, separate: true, memo });
  };
  cash('netPayDebit', 'Net pay', npd, `Gusto withdrawal: net pay by direct deposit (net_pay_debit), ${on}`);
  cash('taxDebit', 'Taxes', td, `Gusto withdrawal: payroll taxes Gusto remits (tax_debit), ${on}`);
  cash(
    'reimbursementDebit',
    'Reimbursements',
    rd,
    `Gusto withdrawal: reimbursements by direct deposit (reimbursement_debit), ${on}`,
  );
  cash(
    'childSupportDebit',
    'Child support',
    csd,
    `Gusto withdrawal: child support Gusto remits (child_support_debit), ${on}`,
  );
  cash(
    'outstandingChecks',
    'Paper checks',
    outstanding,
    `Paper checks Gusto paid but did not withdraw (net pay ${formatCents(net - npd)} + reimbursements ${formatCents(reimbursements - rd)}), ${paper}`,
  );
  const NOT_REMITTED = 'Taxes not remitted by Gusto';
  if (split.employee !== 0)
    postings.push({ role: 'employeeTaxLiability', component: NOT_REMITTED, cents: split.employee, group: COMPANY });
  if (split.employer !== 0)
    postings.push({ role: 'employerTaxLiability', component: NOT_REMITTED, cents: split.employer, group: COMPANY });

  const warnings: string[] = [];
  // Not refused (the journal still balances and ties to the bank), but named: each is worth a look.
  if (!within(npd, net))
    warnings.push(`totals.net_pay_debit ${formatCents(npd)} is outside the payroll's net pay ${formatCents(net)}`);
  if (!within(rd, reimbursements))
    warnings.push(
      `totals.reimbursement_debit ${formatCents(rd)} is outside the payroll's reimbursements ${formatCents(reimbursements)}`,
    );
  if (!within(td, taxes))
    warnings.push(
      `totals.tax_debit ${formatCents(td)} is outside the payroll's taxes ${formatCents(taxes)}: the difference ${formatCents(taxes - td)} stays on the tax liability accounts`,
    );
  else if (remainder !== 0) {
    warnings.push(
      `tax_debit ${formatCents(td)} is less than the payroll's taxes ${formatCents(taxes)}: ${formatCents(remainder)} not remitted by Gusto stays on the tax liability accounts`,
    );
  }
  const checkAmount = d.check_amount;
  if (checkAmount !== undefined && checkAmount !== outstanding) {
    const netOnly =
      checkAmount === net - npd
        ? ' (it matches the paper-check net pay alone: reimbursements paid by check are outstanding too)'
        : '';
    warnings.push(
      `totals.check_amount ${formatCents(checkAmount)} differs from the paper checks outstanding ${formatCents(outstanding)} by ${formatCents(checkAmount - outstanding)}${netOnly}`,
    );
  }

  const replaces = (p: Posting): boolean =>
    p.role === 'netPay' ||
    p.role === 'employeeTaxLiability' ||
    p.role === 'employerTaxLiability' ||
    (p.role === 'deductionLiability' && isChildSupport(p.component));
  return {
    ok: true,
    plan: {
      postings,
      replaces,
      expected: {
        netPay: 0,
        netPayDebit: npd,
        taxDebit: td,
        reimbursementDebit: rd,
        childSupportDebit: csd,
        outstandingChecks: outstanding,
        employeeTaxLiability: split.employee,
        employerTaxLiability: split.employer,
        deductionLiability: sums.other_deductions + sums.employee_benefits_deductions - childSupport,
      },
      warnings,
      tolerated,
    },
  };
}

/** `amount` split in proportion to a : b, integer cents, the parts summing to `amount` exactly. */
export function splitInProportion(amount: Cents, a: Cents, b: Cents): { employee: Cents; employer: Cents } {
  const whole = a + b;
  if (amount === 0) return { employee: 0, employer: 0 };
  if (whole === 0) return { employee: 0, employer: amount };
  // BigInt: amount × a may exceed 2^53. Truncation toward zero; the employer part takes the rest.
  const employee = Number((BigInt(amount) * BigInt(a)) / BigInt(whole));
  return { employee, employer: amount - employee };
}

/** reconcile's totals_mismatch, worded "<total>: Gusto says …, <what> …". */
const cashMismatch = (total: string, gusto: Cents, computed: Cents, what: string): TotalsMismatch =>
  mismatch(total, gusto, computed, `${total}: Gusto says ${formatCents(gusto)}, ${what} ${formatCents(computed)}`);
