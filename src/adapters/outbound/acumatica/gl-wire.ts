/** The GL entities on the wire: journal references, the chart of accounts, and a batch's read-back totals. */
import type { AcumaticaJournalRef, GlAccount, GlSubaccount } from '../../../application/ports/acumatica.port';
import type { BatchReadBack } from '../../../application/tie-out/ports';
import { centsOrNaN, formatCents } from '../../../domain/money';
import { bool, str, value, type WireEntity } from './values';

export const JOURNAL_SELECT = 'BatchNbr,Module,Status,Description';
export const ACCOUNT_SELECT = 'AccountCD,Active,Description,Type,LastModifiedDateTime';
export const SUBACCOUNT_SELECT = 'SubaccountCD,Active,Description,LastModifiedDateTime';

/** `$select` and, with `since`, only the rows changed after that instant (ISO). */
export function changedSince(select: string, since: string | undefined): Record<string, string> {
  return since ? { $select: select, $filter: `LastModifiedDateTime gt datetimeoffset'${since}'` } : { $select: select };
}

export function journalRef(e: WireEntity): AcumaticaJournalRef {
  return {
    batchNbr: str(e.BatchNbr) ?? '',
    module: 'GL',
    status: str(e.Status) ?? '',
    description: str(e.Description) ?? '',
  };
}

export const accountFromWire = (r: WireEntity): GlAccount => ({
  accountCD: str(r.AccountCD) ?? '',
  active: bool(r.Active) ?? false,
  description: str(r.Description),
  type: str(r.Type),
  lastModifiedDateTime: str(r.LastModifiedDateTime),
});

export const subaccountFromWire = (r: WireEntity): GlSubaccount => ({
  subaccountCD: str(r.SubaccountCD) ?? '',
  active: bool(r.Active) ?? false,
  description: str(r.Description),
  lastModifiedDateTime: str(r.LastModifiedDateTime),
});

/** A batch read with `$expand=Details`: its totals summed from the lines (not in the Default contract). */
export function batchReadBack(batch: WireEntity, batchNbr: string): BatchReadBack {
  const details = Array.isArray(batch.Details) ? (batch.Details as WireEntity[]) : [];
  let debit = 0;
  let credit = 0;
  for (const line of details) {
    const d = centsOrNaN(value<number | string>(line.DebitAmount) ?? 0);
    const c = centsOrNaN(value<number | string>(line.CreditAmount) ?? 0);
    debit += Number.isNaN(d) ? 0 : d;
    credit += Number.isNaN(c) ? 0 : c;
  }
  const date = str(batch.TransactionDate);
  return {
    batchNbr: str(batch.BatchNbr) ?? batchNbr,
    status: str(batch.Status) ?? '',
    ...(date ? { transactionDate: date.slice(0, 10) } : {}),
    debitTotal: formatCents(debit),
    creditTotal: formatCents(credit),
    lines: details.length,
  };
}
