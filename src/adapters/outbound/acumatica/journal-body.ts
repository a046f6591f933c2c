import type { Journal } from '../../../domain/journal/journal';
import { wrap } from './values';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The PUT /JournalTransaction body, written by hand where amounts go: Acumatica's DebitAmount/CreditAmount
 * are JSON numbers, and money must never pass through a JS float ("0.10" + "0.20" must arrive as 0.10 and
 * 0.20, not 0.30000000000000004 after some arithmetic or a lossy parse). Each amount is a placeholder during
 * JSON.stringify and then replaced by the Journal's decimal string as a raw number literal.
 */
export function journalBody(journal: Journal, defaults: { branch?: string }): string {
  const amounts: string[] = [];
  const literal = (decimal: string): string => {
    if (!DECIMAL.test(decimal)) throw new Error(`journal amount "${decimal}" is not a decimal number`);
    amounts.push(decimal);
    return `\u0000amount:${amounts.length - 1}\u0000`;
  };
  const branch = journal.header.branch ?? defaults.branch;
  const body = {
    ...wrap({
      Module: 'GL',
      BranchID: branch,
      LedgerID: journal.header.ledger,
      TransactionDate: journal.header.transactionDate,
      Description: journal.header.description,
      Hold: false,
    }),
    Details: journal.lines.map((line) =>
      wrap({
        BranchID: branch,
        Account: line.account,
        Subaccount: line.subaccount,
        DebitAmount: literal(line.side === 'debit' ? line.amount : '0'),
        CreditAmount: literal(line.side === 'credit' ? line.amount : '0'),
        TransactionDescription: line.memo,
      }),
    ),
  };
  // The NUL markers cannot occur in stringified text (JSON escapes them as \u0000), so nothing else is replaced.
  return JSON.stringify(body).replace(/"\\u0000amount:(\d+)\\u0000"/g, (_m, i: string) => amounts[Number(i)]);
}
