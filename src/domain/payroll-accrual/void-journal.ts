/**
 * Undoing an accrual after its payroll was cancelled (issue 14): the void of a posted accrual (or of its
 * posted reversal) swaps every side, keeps the amounts and the date of the journal it undoes — so each month
 * nets to zero on its own — and carries its own tag: `[gusto-accrual-void:<uuid>:<YYYY-MM>]`,
 * `[gusto-accrual-reversal-void:<uuid>:<YYYY-MM>]` (`<uuid>/2` for a second generation).
 */
import { tagged } from '../journal/header';
import type { Journal } from '../journal/journal';

const TAG_SUFFIX = /\s*\[[^\]]*\]$/;

export const voidTagOf = (tag: string): string => tag.replace(/^(gusto-accrual(?:-reversal)?):/, '$1-void:');

export function voidJournal(journal: Journal): Journal {
  const tag = voidTagOf(journal.tag);
  const text = journal.header.description.replace(TAG_SUFFIX, '');
  return {
    ...journal,
    tag,
    kind: 'accrual-void',
    header: { ...journal.header, description: tagged(`Void (payroll cancelled) of ${text}`, tag) },
    lines: journal.lines.map((l) => ({ ...l, side: l.side === 'debit' ? 'credit' : 'debit' })),
  };
}
