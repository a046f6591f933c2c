/**
 * The reversing journal of a posted payroll that Gusto cancelled: every line on the other side, same
 * amounts, tagged `[gusto-reversal:<uuid>]` so it is found (not duplicated) before it is created.
 * Posted together with the original, every account nets to zero.
 */
import { tagged } from './header';
import type { Journal, Side } from './journal';

export interface ReverseJournalOptions {
  /** Date of the reversal; defaults to the original's (the posting may pick an open period instead). */
  transactionDate?: string;
}

const other = (side: Side): Side => (side === 'debit' ? 'credit' : 'debit');
const TAG = /\s*\[gusto(?:-reversal)?:[^\]]*\]$/;

export function reverseJournal(journal: Journal, payrollUuid: string, options: ReverseJournalOptions = {}): Journal {
  // Generation 2+ (`gusto:<uuid>/2`) reverses as `gusto-reversal:<uuid>/2`; the first as before.
  const tag = journal.tag.startsWith(`gusto:${payrollUuid}/`)
    ? journal.tag.replace(/^gusto:/, 'gusto-reversal:')
    : `gusto-reversal:${payrollUuid}`;
  const original = journal.header.description.replace(TAG, '');
  return {
    ...journal,
    tag,
    payrollUuid,
    kind: 'reversal',
    header: {
      ...journal.header,
      transactionDate: options.transactionDate ?? journal.header.transactionDate,
      description: tagged(`Reversal of ${original}`, tag),
    },
    lines: journal.lines.map((l) => ({ ...l, side: other(l.side) })),
    totals: { debit: journal.totals.credit, credit: journal.totals.debit },
    warnings: [...journal.warnings],
  };
}
