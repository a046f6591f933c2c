/**
 * Gusto payroll + account mapping → one balanced journal, or every reason it cannot be one.
 *
 * Why it balances: per employee Gusto defines net = gross − employee taxes − deductions − benefit
 * deductions − cash tips (checked in `reconcilePayroll`). The journal debits gross − cash tips
 * (earnings), employer taxes, company contributions and reimbursements, and credits net pay +
 * reimbursements, employee taxes, employer taxes, deductions + benefit deductions and company
 * contributions; both sides differ by exactly that identity. The builder still re-checks, in cents:
 * debits = credits, and each role's line total = the same figure computed from the payroll sums.
 */
import { formatCents, isExactCents, type Cents } from '../money';
import { ROLE_SIDE, ROLES, type AccountMapping, type Role } from '../mapping/account-mapping';
import { departmentSubaccount, missingKey, resolveAccount, type ResolvedAccount } from '../mapping/resolve';
import type { GustoPayroll } from '../payroll/gusto-payroll';
import { readPayroll } from '../payroll/read-payroll';
import { reconcilePayroll, sumPayroll, type PayrollSums } from '../payroll/reconcile';
import type { JournalBuildError } from './errors';
import { journalHeader } from './header';
import type { Journal } from './journal';
import { planBankCash } from './bank-cash';
import { buildLines, type ResolvedPosting } from './lines';
import { collectPostings } from './postings';

export interface BuildJournalOptions {
  /** The version of the mapping used, recorded on the journal. */
  mappingVersion: number;
}

export type BuildJournalResult = { ok: true; journal: Journal } | { ok: false; errors: JournalBuildError[] };

export function buildJournal(
  payroll: GustoPayroll,
  mapping: AccountMapping,
  options: BuildJournalOptions,
): BuildJournalResult {
  const read = readPayroll(payroll);
  if (!read.ok) return { ok: false, errors: read.errors };
  const pay = read.pay;
  const detail = mapping.journal.detail;
  const bank = mapping.journal.cash === 'bank';
  const tolerance = mapping.journal.rounding?.toleranceCents ?? 0;
  const splitLiabilities = mapping.journal.splitLiabilitiesByDepartment === true;

  const sums = sumPayroll(pay);
  const errors: JournalBuildError[] = [];
  const warnings = [...pay.warnings];
  // Gusto's totals against the employee lines: a difference within the tolerance is a warning, not a block.
  for (const m of reconcilePayroll(pay, sums)) {
    const withinTolerance =
      tolerance > 0 &&
      m.employeeUuid === undefined &&
      m.total.startsWith('totals.') &&
      Math.abs(cents(m.difference)) <= tolerance;
    if (withinTolerance) warnings.push(`rounding: ${m.message}, within the ${formatCents(tolerance)} tolerance`);
    else errors.push(m);
  }
  let collected = collectPostings(pay, detail, { splitLiabilities });
  let expectedInBank: Partial<Record<Role, Cents>> = {};
  if (bank) {
    const cash = planBankCash(pay, sums, tolerance);
    if (!cash.ok) errors.push(...cash.errors);
    else {
      collected = [...collected.filter((p) => !cash.plan.replaces(p)), ...cash.plan.postings];
      expectedInBank = cash.plan.expected;
      warnings.push(
        ...cash.plan.warnings,
        ...cash.plan.tolerated.map((t) => `rounding: ${t}, within the ${formatCents(tolerance)} tolerance`),
      );
    }
  }
  // Where the tolerated differences leave the journal unbalanced (bank mode: cash lines come from Gusto's
  // totals, expense lines from the employees), the difference goes to the `rounding` role.
  let rounding = 0;
  for (const p of collected) rounding -= p.cents * (ROLE_SIDE[p.role] === 'debit' ? 1 : -1);
  if (rounding !== 0 && errors.length === 0) {
    if (Math.abs(rounding) > tolerance) {
      errors.push({
        code: 'totals_mismatch',
        total: 'journal balance',
        gusto: formatCents(rounding),
        computed: '0.00',
        difference: formatCents(rounding),
        message: `the tolerated differences add up to ${formatCents(rounding)}, more than the ${formatCents(tolerance)} rounding tolerance`,
      });
    } else {
      collected.push({
        role: 'rounding',
        component: 'Rounding',
        cents: rounding,
        group: { department: null, employeeUuid: null, employeeName: null },
        separate: true,
      });
      warnings.push(`rounding: ${formatCents(rounding)} posted to the rounding account so the journal balances`);
    }
  }

  const resolved = new Map<string, ResolvedAccount | null>();
  const missing = new Set<string>();
  const unknownDepartments = new Set<string>();
  const postings: ResolvedPosting[] = [];
  for (const p of collected) {
    const cacheKey = `${p.role}:${p.component}`;
    let account = resolved.get(cacheKey);
    if (account === undefined) {
      account = resolveAccount(mapping, p.role, p.component);
      resolved.set(cacheKey, account);
    }
    if (account === null) {
      missing.add(missingKey(p.role, p.component));
      continue;
    }
    let subaccount = account.subaccount;
    if (detail !== 'summary' && (ROLE_SIDE[p.role] === 'debit' || splitLiabilities) && p.group.department !== null) {
      const fromDepartment = departmentSubaccount(mapping, p.group.department);
      if (fromDepartment !== undefined) subaccount = fromDepartment;
      else unknownDepartments.add(p.group.department);
    }
    postings.push({
      role: p.role,
      component: p.component,
      cents: p.cents,
      account: account.account,
      ...(subaccount === undefined ? {} : { subaccount }),
      mappingKey: account.mappingKey,
      department: p.group.department,
      employeeUuid: p.group.employeeUuid,
      employeeName: p.group.employeeName,
      ...(p.separate === true ? { separate: true } : {}),
      ...(p.memo === undefined ? {} : { memo: p.memo }),
    });
  }
  if (missing.size > 0) {
    const missingKeys = [...missing].sort();
    errors.push({
      code: 'unmapped_component',
      missingKeys,
      message: `no account mapped for: ${missingKeys.join('; ')}`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const lineKind = splitLiabilities ? 'lines' : 'expense lines';
  for (const d of [...unknownDepartments].sort()) {
    warnings.push(`department "${d}" is not in subaccountsByDepartment: its ${lineKind} use the mapped subaccount`);
  }
  const withoutDepartment = detail === 'summary' ? 0 : pay.employees.filter((e) => e.department === null).length;
  if (withoutDepartment > 0) {
    warnings.push(
      `${withoutDepartment} employee(s) have no Gusto department: their ${lineKind} use the mapped subaccount`,
    );
  }

  const { lines, roleTotals, defects, debit, credit } = buildLines(postings, detail === 'employee');
  if (!isExactCents(debit) || !isExactCents(credit)) {
    return {
      ok: false,
      errors: [
        {
          code: 'malformed_amount',
          path: 'employee_compensations',
          message: 'the amounts are too large to add up exactly',
        },
      ],
    };
  }
  const expected = { ...expectedRoleTotals(sums), ...expectedInBank, rounding };
  for (const role of ROLES) {
    if (roleTotals[role] !== expected[role]) {
      defects.push(
        `${role}: lines total ${formatCents(roleTotals[role])}, components total ${formatCents(expected[role])}`,
      );
    }
  }
  if (debit !== credit || defects.length > 0) {
    const message = [
      ...(debit === credit ? [] : [`debits ${formatCents(debit)} ≠ credits ${formatCents(credit)}`]),
      ...defects,
    ].join('; ');
    return {
      ok: false,
      errors: [{ code: 'unbalanced', debit: formatCents(debit), credit: formatCents(credit), message }],
    };
  }
  const header = journalHeader(pay, mapping);
  if (mapping.journal.entryDate === 'period_end' && pay.payPeriod === null) {
    warnings.push('entry date: the payroll has no pay period, so the journal is dated on its check date');
  }

  return {
    ok: true,
    journal: {
      tag: `gusto:${pay.payrollUuid}`,
      payrollUuid: pay.payrollUuid,
      kind: 'payroll',
      header,
      lines,
      totals: { debit: formatCents(debit), credit: formatCents(credit) },
      mappingVersion: options.mappingVersion,
      warnings,
    },
  };
}

/** "-12.34" → -1234 (a formatCents string back to cents). */
function cents(amount: string): Cents {
  const negative = amount.startsWith('-');
  const [whole, frac] = amount.replace('-', '').split('.');
  const c = Number(whole) * 100 + Number(frac);
  return negative ? -c : c;
}

/** Each role's total, from the payroll sums alone (independent of postings and lines), liabilities mode. */
function expectedRoleTotals(s: PayrollSums): Record<Role, Cents> {
  return {
    earnings: s.gross_pay - s.cashTips,
    employerTaxExpense: s.employer_taxes,
    employerTaxLiability: s.employer_taxes,
    employeeTaxLiability: s.employee_taxes,
    deductionLiability: s.other_deductions + s.employee_benefits_deductions,
    benefitExpense: s.benefits,
    benefitLiability: s.benefits,
    reimbursementExpense: s.reimbursements,
    netPay: s.net_pay + s.reimbursements,
    netPayDebit: 0,
    taxDebit: 0,
    reimbursementDebit: 0,
    childSupportDebit: 0,
    outstandingChecks: 0,
    rounding: 0,
    accruedPayroll: 0,
  };
}
