/**
 * The tie-out report an accountant opens at month-end close: per payroll, Gusto's totals and bank
 * withdrawals beside the journal's lines and the Acumatica batch as it is now, every difference named;
 * then the period's sums. Pure: the query (`tie-out.query.ts`) hands in what it read.
 *
 * Each "tie" is one figure seen from up to three sides (Gusto, the journal, Acumatica) and its difference.
 * Bank cash mode: each Gusto withdrawal against its cash line, company_debit against their sum, the paper
 * checks against the outstanding-checks line. Liabilities mode: net pay + reimbursements against the
 * `netPay` lines, tax_debit against the tax liability lines (what the bank's tax withdrawal will clear).
 * Both: gross pay against the earnings lines, the journal's debits against its credits, and the batch's
 * debit and credit totals in Acumatica against the journal's.
 */
import { centsOrNaN, formatCents, type Cents } from '../../domain/money';
import type { Journal } from '../../domain/journal/journal';
import type { PayrollTieOut, Tie, TieOutInput, TieOutReport } from './tie-out-types';

export type { PayrollTieOut, Tie, TieOutInput, TieOutReport } from './tie-out-types';
export { tieOutCsv } from './tie-out-csv';

export const WITHDRAWALS = ['net_pay_debit', 'tax_debit', 'reimbursement_debit', 'child_support_debit'] as const;
const CASH_KEY: Record<(typeof WITHDRAWALS)[number], string> = {
  net_pay_debit: 'netPayDebit',
  tax_debit: 'taxDebit',
  reimbursement_debit: 'reimbursementDebit',
  child_support_debit: 'childSupportDebit',
};
const CASH_ROLES = new Set(['netPayDebit', 'taxDebit', 'reimbursementDebit', 'childSupportDebit', 'outstandingChecks']);

const c = (s: string | undefined): Cents | undefined => {
  if (s === undefined) return undefined;
  const v = centsOrNaN(s);
  return Number.isNaN(v) ? undefined : v;
};

/** Roles of a line, from its mapping key(s) ("netPay, netPay:Mileage" → {netPay}). */
const rolesOf = (mappingKey: string): Set<string> => new Set(mappingKey.split(', ').map((k) => k.split(':')[0]));

/** Σ of the journal's lines of one role, natural side positive; undefined when a line mixes that role with another. */
function roleTotal(journal: Journal, role: string, side: 'debit' | 'credit'): Cents | undefined {
  let total = 0;
  for (const l of journal.lines) {
    const roles = rolesOf(l.mappingKey);
    if (!roles.has(role)) continue;
    if (roles.size > 1) return undefined;
    const amount = c(l.amount) ?? 0;
    total += l.side === side ? amount : -amount;
  }
  return total;
}

export function payrollTieOut(input: TieOutInput): PayrollTieOut {
  const t = input.gustoTotals;
  const j = input.journal;
  const ties: Tie[] = [];
  const differences: string[] = [];
  const tie = (item: string, gusto: Cents | undefined, journal: Cents | undefined, acumatica?: Cents): void => {
    let diff = 0;
    if (journal !== undefined && gusto !== undefined) diff = gusto - journal;
    if (journal !== undefined && acumatica !== undefined && acumatica !== journal && diff === 0)
      diff = acumatica - journal;
    ties.push({
      item,
      ...(gusto === undefined ? {} : { gusto: formatCents(gusto) }),
      ...(journal === undefined ? {} : { journal: formatCents(journal) }),
      ...(acumatica === undefined ? {} : { acumatica: formatCents(acumatica) }),
      difference: formatCents(diff),
    });
    if (diff !== 0)
      differences.push(
        `${item}: ${[gusto === undefined ? '' : `Gusto ${formatCents(gusto)}`, journal === undefined ? '' : `journal ${formatCents(journal)}`, acumatica === undefined ? '' : `Acumatica ${formatCents(acumatica)}`].filter(Boolean).join(', ')} (difference ${formatCents(diff)})`,
      );
  };

  const withdrawals: Record<string, string> = {};
  for (const k of WITHDRAWALS) if (t[k] !== undefined) withdrawals[k] = t[k];
  const cashLines = j
    ? j.lines.filter((l) => l.mappingKey.split(', ').length === 1 && CASH_ROLES.has(l.mappingKey.split(':')[0]))
    : [];
  const bank = j !== undefined && (cashLines.length > 0 || roleTotal(j, 'netPay', 'credit') === 0);
  const cashMode: PayrollTieOut['cashMode'] = j === undefined ? 'not built' : bank ? 'bank' : 'liabilities';

  if (j) {
    const cashOf = (role: string): Cents => {
      let total = 0;
      for (const l of cashLines)
        if (l.mappingKey.split(':')[0] === role) total += (l.side === 'credit' ? 1 : -1) * (c(l.amount) ?? 0);
      return total;
    };
    if (bank) {
      let sum = 0;
      for (const k of WITHDRAWALS) {
        const line = cashOf(CASH_KEY[k]);
        sum += line;
        tie(`Gusto withdrawal ${k}`, c(t[k]), line);
      }
      tie('company_debit = the withdrawals', c(t.company_debit), sum);
      const net = c(t.net_pay),
        npd = c(t.net_pay_debit),
        re = c(t.reimbursements),
        rd = c(t.reimbursement_debit);
      const outstanding = net === undefined || npd === undefined ? undefined : net - npd + ((re ?? 0) - (rd ?? 0));
      tie(
        'paper checks outstanding (net pay − net_pay_debit + reimbursements − reimbursement_debit)',
        outstanding,
        cashOf('outstandingChecks'),
      );
    } else {
      const net = c(t.net_pay);
      tie(
        'net pay + reimbursements (netPay lines)',
        net === undefined ? undefined : net + (c(t.reimbursements) ?? 0),
        roleTotal(j, 'netPay', 'credit'),
      );
      const ee = roleTotal(j, 'employeeTaxLiability', 'credit'),
        er = roleTotal(j, 'employerTaxLiability', 'credit');
      tie(
        'tax_debit (tax liability lines)',
        c(t.tax_debit),
        ee === undefined || er === undefined ? undefined : ee + er,
      );
    }
    const gross = c(t.gross_pay);
    tie(
      'gross pay − cash tips (earnings lines)',
      gross === undefined ? undefined : gross - (c(t.employee_cash_tips) ?? 0),
      roleTotal(j, 'earnings', 'debit'),
    );
    tie('journal debits = credits', c(j.totals.credit), c(j.totals.debit));
  }

  let acumatica: PayrollTieOut['acumatica'];
  if (input.batchNbr !== undefined) {
    const b = input.batch;
    if (b === undefined) acumatica = { batchNbr: input.batchNbr };
    else if (b === null) {
      acumatica = { batchNbr: input.batchNbr, error: 'not found in Acumatica' };
      differences.push(`Acumatica batch ${input.batchNbr} is not found in Acumatica`);
    } else if ('error' in b) {
      acumatica = { batchNbr: input.batchNbr, error: b.error };
      differences.push(`Acumatica batch ${input.batchNbr} could not be read: ${b.error}`);
    } else {
      acumatica = { batchNbr: b.batchNbr, status: b.status, debitTotal: b.debitTotal, creditTotal: b.creditTotal };
      if (j) {
        tie(`Acumatica batch ${b.batchNbr} debit total`, undefined, c(j.totals.debit), c(b.debitTotal));
        tie(`Acumatica batch ${b.batchNbr} credit total`, undefined, c(j.totals.credit), c(b.creditTotal));
      }
    }
  }
  for (const a of input.accruals ?? []) {
    // Cancelled with its payroll: voided (or never posted), so the months net to zero — not a difference.
    if (a.status === 'cancelled') continue;
    if (a.skipped) differences.push(`accrual ${a.month} skipped: ${a.skipped}`);
    else if (a.status !== 'posted')
      differences.push(`accrual ${a.month} is ${a.status}${a.error ? `: ${a.error}` : ''}`);
  }
  if (input.status !== 'posted')
    differences.push(
      `posting is ${input.status}${input.lastError ? `: ${input.lastError}` : ''} — not (yet) in the ledger`,
    );
  if (input.reversal)
    differences.push(
      `payroll cancelled in Gusto after posting: reversal ${input.reversal.status}${input.reversal.batchNbr ? ` (batch ${input.reversal.batchNbr})` : ''}`,
    );

  return {
    payrollUuid: input.payrollUuid,
    checkDate: input.checkDate,
    ...(input.payPeriod ? { payPeriod: input.payPeriod } : {}),
    offCycle: input.offCycle,
    status: input.status,
    cashMode,
    gusto: {
      withdrawals,
      ...(t.company_debit === undefined ? {} : { companyDebit: t.company_debit }),
      ...(t.check_amount === undefined ? {} : { checkAmount: t.check_amount }),
      totals: t,
    },
    ...(j
      ? {
          journal: {
            tag: j.tag,
            entryDate: j.header.transactionDate,
            debit: j.totals.debit,
            credit: j.totals.credit,
            cashLines: cashLines.map((l) => ({
              mappingKey: l.mappingKey,
              account: l.account,
              amount: l.amount,
              memo: l.memo,
            })),
          },
        }
      : {}),
    ...(acumatica ? { acumatica } : {}),
    ...(input.reversal ? { reversal: input.reversal } : {}),
    accruals: input.accruals ?? [],
    ties,
    differences,
  };
}

export function tieOutReport(
  connectionId: string,
  from: string,
  to: string,
  generatedAt: string,
  payrolls: PayrollTieOut[],
): TieOutReport {
  const sorted = [...payrolls].sort((a, b) =>
    a.checkDate < b.checkDate ? -1 : a.checkDate > b.checkDate ? 1 : a.payrollUuid < b.payrollUuid ? -1 : 1,
  );
  const sum = (f: (p: PayrollTieOut) => string | undefined): string =>
    formatCents(sorted.reduce((acc, p) => acc + (c(f(p)) ?? 0), 0));
  const withdrawals: Record<string, string> = {};
  for (const k of WITHDRAWALS) withdrawals[k] = sum((p) => p.gusto.withdrawals[k]);
  const cash = formatCents(
    sorted.reduce(
      (acc, p) =>
        acc +
        (p.journal?.cashLines ?? [])
          .filter((l) => l.mappingKey !== 'outstandingChecks')
          .reduce((a, l) => a + (c(l.amount) ?? 0), 0),
      0,
    ),
  );
  return {
    connectionId,
    from,
    to,
    generatedAt,
    payrolls: sorted,
    period: {
      payrolls: sorted.length,
      posted: sorted.filter((p) => p.status === 'posted').length,
      gusto: { companyDebit: sum((p) => p.gusto.companyDebit), withdrawals },
      journal: { debit: sum((p) => p.journal?.debit), credit: sum((p) => p.journal?.credit), cash },
      acumatica: { debit: sum((p) => p.acumatica?.debitTotal), credit: sum((p) => p.acumatica?.creditTotal) },
      differences: sorted.reduce((acc, p) => acc + p.differences.length, 0),
    },
  };
}
