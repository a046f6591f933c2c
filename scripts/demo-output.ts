/** The demo's mapping (the interface spec's example) and its table printing. */
import { exampleMapping } from '../src/sandbox/example-mapping';

export const DEMO_MAPPING = exampleMapping('HEADOFFICE');

type Say = (line: string) => void;

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));

export function printJournal(say: Say, posting: any, stored: any): void {
  const journal = posting.journal;
  say(`Journal posted to Acumatica — batch ${posting.acumatica?.batchNbr ?? stored?.BatchNbr ?? '?'} (status ${stored?.Status ?? '?'})`);
  say(`  date ${journal.header.transactionDate} · branch ${journal.header.branch ?? '-'} · ledger ${journal.header.ledger ?? '-'} · mapping v${journal.mappingVersion}`);
  say(`  ${journal.header.description}\n`);
  const rows = journal.lines.map((l: any) => [l.account, l.subaccount ?? '', l.memo, l.side === 'debit' ? l.amount : '', l.side === 'credit' ? l.amount : '']);
  const header = ['Account', 'Sub', 'Memo', 'Debit', 'Credit'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r: string[]) => r[i].length), i >= 3 ? journal.totals.debit.length : 0));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => pad(c, widths[i], i >= 3)).join('  ');
  say(line(header));
  say('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r: string[]) => say(line(r)));
  say('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  say(line(['', '', 'Totals', journal.totals.debit, journal.totals.credit]));
  if (journal.warnings?.length) say(`  warnings: ${journal.warnings.join('; ')}`);
}

export function printAudit(say: Say, events: any[]): void {
  say('\nAudit trail (GET /api/postings/:id/events):');
  for (const e of events) {
    const at = e.metadata?.at ?? e.recordedAt ?? e.time ?? '';
    const data = e.data ?? {};
    const detail = data.batchNbr ? `batch ${data.batchNbr}` : data.trigger ? `trigger ${data.trigger}` : data.mappingVersion !== undefined ? `mapping v${data.mappingVersion}` : '';
    say(`  ${String(e.revision ?? '').padStart(2)}  ${at}  ${pad(e.type, 24)} ${detail}  (actor ${e.metadata?.actor ?? '-'})`);
  }
}
