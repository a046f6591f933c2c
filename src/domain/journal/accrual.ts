/**
 * Month-end accrual (`journal.accrual.enabled`, role `accruedPayroll`; TREATMENT.md "Month-end accrual").
 *
 * When the pay period has days in a month M before the month of the journal's entry date, the cost of
 * those days belongs to M. For each such M: one accrual journal dated the last day of M — DR the earnings,
 * employer tax expense and company benefit expense lines in proportion to the pay period's calendar days
 * in M, CR `accruedPayroll` — and its reversal dated the first day of M+1, so M+1 (which carries the whole
 * payroll journal) keeps only its own share. Each line is split over every month the period spans in
 * integer cents by largest remainder, so the parts of a line sum exactly to the line.
 */
import { formatCents, type Cents } from '../money';
import { resolveAccount } from '../mapping/resolve';
import { missingKey } from '../mapping/resolve';
import type { AccountMapping } from '../mapping/account-mapping';
import type { JournalBuildError } from './errors';
import { tagged } from './header';
import type { Journal, JournalLine, Side } from './journal';

/** The roles whose cost is accrued: wages, employer taxes, company benefit contributions. */
export const ACCRUED_ROLES: ReadonlySet<string> = new Set(['earnings', 'employerTaxExpense', 'benefitExpense']);
export const ACCRUED_PAYROLL_COMPONENT = 'Accrued payroll';

export interface MonthShare {
  /** YYYY-MM */
  month: string;
  days: number;
}

export interface Accrual {
  month: string;
  /** Calendar days of the pay period in the month, and in the whole period. */
  days: number;
  periodDays: number;
  accrual: Journal;
  reversal: Journal;
}

export type BuildAccrualsResult = { ok: true; accruals: Accrual[] } | { ok: false; errors: JournalBuildError[] };

const DAY = 86_400_000;
const toDate = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
const monthOf = (d: string): string => d.slice(0, 7);

/** The calendar days of [start, end] per month, in order. */
export function periodMonths(start: string, end: string): MonthShare[] {
  const out: MonthShare[] = [];
  for (let t = toDate(start); t <= toDate(end); t += DAY) {
    const m = monthOf(iso(t));
    const last = out[out.length - 1];
    if (last && last.month === m) last.days += 1;
    else out.push({ month: m, days: 1 });
  }
  return out;
}

export const lastDayOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return iso(Date.UTC(y, m, 1) - DAY);
};
export const firstDayAfter = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return iso(Date.UTC(y, m, 1));
};

/**
 * `amount` split in proportion to `weights`, integer cents, largest remainder (ties: the earlier part), so
 * the parts sum exactly to `amount`. Signed amounts split by their magnitude and keep their sign.
 */
export function largestRemainder(amount: Cents, weights: readonly number[]): Cents[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const sign = amount < 0 ? -1n : 1n;
  const abs = BigInt(Math.abs(amount));
  const t = BigInt(total);
  const parts = weights.map((w) => (abs * BigInt(w)) / t);
  const remainders = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % t }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[remainders[k % remainders.length].i] += 1n;
  return parts.map((p) => Number(p * sign));
}

const rolesOf = (mappingKey: string): string[] => mappingKey.split(', ').map((k) => k.split(':')[0]);
const signed = (l: JournalLine): Cents => {
  const [w, f] = l.amount.split('.');
  const c = Number(w) * 100 + Number(f);
  return l.side === 'debit' ? c : -c;
};
const side = (c: Cents): Side => (c >= 0 ? 'debit' : 'credit');
const abs = (c: Cents): string => formatCents(c < 0 ? -c : c);
const TAG_SUFFIX = /\s*\[gusto[^\]]*\]$/;

/**
 * The accruals a posted payroll journal needs: none when the pay period lies within the entry date's
 * month (or later), or when the payroll has no pay period.
 */
export function buildAccruals(
  journal: Journal,
  payPeriod: { startDate: string; endDate: string } | null,
  mapping: AccountMapping,
): BuildAccrualsResult {
  if (payPeriod === null || journal.kind !== 'payroll') return { ok: true, accruals: [] };
  const entryMonth = monthOf(journal.header.transactionDate);
  const months = periodMonths(payPeriod.startDate, payPeriod.endDate);
  const earlier = months.filter((m) => m.month < entryMonth);
  if (earlier.length === 0) return { ok: true, accruals: [] };
  const credit = resolveAccount(mapping, 'accruedPayroll', ACCRUED_PAYROLL_COMPONENT);
  if (credit === null) {
    const key = missingKey('accruedPayroll', ACCRUED_PAYROLL_COMPONENT);
    return {
      ok: false,
      errors: [
        {
          code: 'unmapped_component',
          missingKeys: [key],
          message: `no account mapped for: ${key} (month-end accrual)`,
        },
      ],
    };
  }
  const periodDays = months.reduce((a, m) => a + m.days, 0);
  const weights = months.map((m) => m.days);
  const accrued = journal.lines.filter((l) => rolesOf(l.mappingKey).every((r) => ACCRUED_ROLES.has(r)));
  const shares = accrued.map((l) => largestRemainder(signed(l), weights));
  const uuid = journal.payrollUuid;
  // `<uuid>` for the first generation, `<uuid>/2` for a re-processed payroll's (its journal is `[gusto:<uuid>/2]`).
  const ref = journal.tag.startsWith('gusto:') ? journal.tag.slice('gusto:'.length) : uuid;
  const original = journal.header.description.replace(TAG_SUFFIX, '');

  const accruals: Accrual[] = [];
  for (const m of earlier) {
    const i = months.indexOf(m);
    const lines: JournalLine[] = [];
    let total = 0;
    accrued.forEach((l, k) => {
      const part = shares[k][i];
      if (part === 0) return;
      total += part;
      lines.push({
        ...l,
        side: side(part),
        amount: abs(part),
        memo: clip(`Accrual ${m.month}, ${m.days}/${periodDays} days: ${l.memo}`),
      });
    });
    if (total === 0 && lines.length === 0) continue;
    lines.push({
      account: credit.account,
      ...(credit.subaccount === undefined ? {} : { subaccount: credit.subaccount }),
      side: side(-total),
      amount: abs(total),
      memo: clip(`Accrued payroll ${m.month}, ${m.days}/${periodDays} days of ${original}`),
      mappingKey: credit.mappingKey,
    });
    const debit = lines.filter((l) => l.side === 'debit').reduce((a, l) => a + Math.abs(signed(l)), 0);
    const tag = `gusto-accrual:${ref}:${m.month}`;
    const reversalTag = `gusto-accrual-reversal:${ref}:${m.month}`;
    const accrual: Journal = {
      tag,
      payrollUuid: uuid,
      kind: 'accrual',
      header: {
        ...journal.header,
        transactionDate: lastDayOf(m.month),
        description: tagged(`Accrual ${m.month} of ${original}`, tag),
      },
      lines,
      totals: { debit: formatCents(debit), credit: formatCents(debit) },
      mappingVersion: journal.mappingVersion,
      warnings: [],
    };
    const reversal: Journal = {
      ...accrual,
      tag: reversalTag,
      kind: 'accrual-reversal',
      header: {
        ...accrual.header,
        transactionDate: firstDayAfter(m.month),
        description: tagged(`Reversal of accrual ${m.month} of ${original}`, reversalTag),
      },
      lines: lines.map((l) => ({ ...l, side: l.side === 'debit' ? 'credit' : 'debit' })),
    };
    accruals.push({ month: m.month, days: m.days, periodDays, accrual, reversal });
  }
  return { ok: true, accruals };
}

function clip(text: string): string {
  return text.length <= 256 ? text : `${text.slice(0, 255)}…`;
}
