/** A journal batch's validation: header and line errors, rounding to the cent, and the balance check. */
import BigNumber from 'bignumber.js';
import type { Rec } from './schema';
import { YTD_NET_INCOME } from './seed';
import type { Store } from './store';

/** Round to the cent like the currency precision does; integer cents for comparisons. */
const cents = (text: string | number | boolean | null): bigint =>
  BigInt(new BigNumber(String(text ?? 0)).decimalPlaces(2, BigNumber.ROUND_HALF_UP).times(100).toFixed(0));
const money = (text: string | number | boolean | null): string =>
  new BigNumber(String(text ?? 0)).toFixed(2, BigNumber.ROUND_HALF_UP);

/** Field errors onto the candidate; returns true when debits ≠ credits and the batch is not on hold. */
export function validateBatch(rec: Rec, store: Store, closedPeriods: ReadonlySet<string>): boolean {
  const err = (r: Rec, field: string, text: string): void => {
    r.errors = { ...(r.errors ?? {}), [field]: text };
  };
  if (rec.f.Module !== 'GL')
    err(rec, 'Module', 'Error: Only GL batches can be created on the Journal Transactions form.');
  if (!store.branches.has(String(rec.f.BranchID))) err(rec, 'BranchID', "'Branch' cannot be found in the system.");
  if (!store.ledgers.has(String(rec.f.LedgerID))) err(rec, 'LedgerID', "'Ledger' cannot be found in the system.");
  const period = normalizePeriod(rec.f.PostPeriod);
  if (!period) err(rec, 'PostPeriod', 'Error: Financial Period cannot be found in the system.');
  else {
    rec.f.PostPeriod = period;
    const year = Number(period.slice(2));
    const shown = `${period.slice(0, 2)}-${period.slice(2)}`;
    if (year < 2015 || year > 2035) err(rec, 'PostPeriod', `Error: The ${shown} financial period is inactive.`);
    else if (closedPeriods.has(period)) err(rec, 'PostPeriod', `Error: The ${shown} financial period is closed.`);
  }
  let debit = 0n,
    credit = 0n;
  for (const line of rec.details.Details) {
    line.f.DebitAmount = money(line.f.DebitAmount);
    line.f.CreditAmount = money(line.f.CreditAmount);
    debit += cents(line.f.DebitAmount);
    credit += cents(line.f.CreditAmount);
    if (line.f.BranchID !== null && !store.branches.has(String(line.f.BranchID)))
      err(line, 'BranchID', "'Branch' cannot be found in the system.");
    const acct = store.account(line.f.Account as string | null);
    if (line.f.Account === null) err(line, 'Account', "'Account' cannot be empty.");
    else if (!acct) err(line, 'Account', "'Account' cannot be found in the system.");
    else if (!acct.f.Active) err(line, 'Account', 'Account is inactive.');
    else if (acct.f.AccountCD === YTD_NET_INCOME)
      err(line, 'Account', 'Cannot post transactions directly to Year to Date Net Income.');
    line.f.Description = acct ? acct.f.Description : null;
    const sub = store.subaccount(line.f.Subaccount as string | null);
    if (!sub) err(line, 'Subaccount', "Error: 'Subaccount' cannot be found in the system.");
    else if (!sub.f.Active) err(line, 'Subaccount', `Subaccount ${String(sub.f.SubaccountCD)} is inactive.`);
  }
  return !rec.f.Hold && debit !== credit;
}

/** `2025-01-31…` → `012025` (MMYYYY). */
export const periodOf = (iso: string): string => `${iso.slice(5, 7)}${iso.slice(0, 4)}`;
/** `01-2025` or `012025` → `012025`; anything else → undefined. */
function normalizePeriod(v: unknown): string | undefined {
  const m = /^(0[1-9]|1[0-2])-?(\d{4})$/.exec(String(v ?? ''));
  return m ? `${m[1]}${m[2]}` : undefined;
}
