/**
 * The journal header: branch, ledger, date = check date (or the pay period's end, `journal.entryDate`), and a description that always ends with the
 * tag the duplicate check looks up (`[gusto:<uuid>]`), within Acumatica's 256 characters.
 */
import type { AccountMapping } from '../mapping/account-mapping';
import type { PayrollPay } from '../payroll/pay-components';
import type { JournalHeader } from './journal';

export const DESCRIPTION_MAX = 256;

export function journalHeader(pay: PayrollPay, mapping: AccountMapping): JournalHeader {
  const kind = pay.offCycle
    ? `Gusto off-cycle payroll${pay.offCycleReason ? ` (${pay.offCycleReason})` : ''}`
    : 'Gusto payroll';
  const period = pay.payPeriod ? `${pay.payPeriod.startDate}–${pay.payPeriod.endDate}` : `check date ${pay.checkDate}`;
  return {
    ...(mapping.journal.branch === undefined ? {} : { branch: mapping.journal.branch }),
    ...(mapping.journal.ledger === undefined ? {} : { ledger: mapping.journal.ledger }),
    transactionDate: entryDate(pay, mapping),
    description: tagged(`${kind} ${period}`, `gusto:${pay.payrollUuid}`),
    release: mapping.journal.release === true,
  };
}

/** `journal.entryDate`: the check date (default), or the pay period's end date when the payroll has one. */
export function entryDate(pay: PayrollPay, mapping: AccountMapping): string {
  return mapping.journal.entryDate === 'period_end' && pay.payPeriod !== null ? pay.payPeriod.endDate : pay.checkDate;
}

/** "<text> [<tag>]", the text shortened so the whole fits in 256 characters; the tag is never cut. */
export function tagged(text: string, tag: string): string {
  const suffix = ` [${tag}]`;
  const room = DESCRIPTION_MAX - suffix.length;
  const head = text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
  return `${head}${suffix}`;
}
