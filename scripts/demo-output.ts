/** The demo's mapping (the interface spec's example, in bank cash mode) and its table printing. */
import { bankCashAccounts, exampleMapping } from '../src/sandbox/example-mapping';

/**
 * The spec's example plus bank cash mode (issue 14): one cash line per Gusto withdrawal on the payroll
 * checking account, paper checks on the clearing account, so the tie-out matches the bank feed 1:1.
 */
export const DEMO_MAPPING = (() => {
  const m = exampleMapping('HEADOFFICE');
  Object.assign(m.accounts, bankCashAccounts());
  return { ...m, journal: { ...m.journal, cash: 'bank' as const } };
})();

type Say = (line: string) => void;

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));

export function printJournal(say: Say, posting: any, stored: any): void {
  const journal = posting.journal;
  say(
    `Journal posted to Acumatica — batch ${posting.acumatica?.batchNbr ?? stored?.BatchNbr ?? '?'} (status ${stored?.Status ?? '?'})`,
  );
  say(
    `  date ${journal.header.transactionDate} · branch ${journal.header.branch ?? '-'} · ledger ${journal.header.ledger ?? '-'} · mapping v${journal.mappingVersion}`,
  );
  say(`  ${journal.header.description}\n`);
  const rows = journal.lines.map((l: any) => [
    l.account,
    l.subaccount ?? '',
    l.memo,
    l.side === 'debit' ? l.amount : '',
    l.side === 'credit' ? l.amount : '',
  ]);
  const header = ['Account', 'Sub', 'Memo', 'Debit', 'Credit'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r: string[]) => r[i].length), i >= 3 ? journal.totals.debit.length : 0),
  );
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
    const detail = data.batchNbr
      ? `batch ${data.batchNbr}`
      : data.trigger
        ? `trigger ${data.trigger}`
        : data.mappingVersion !== undefined
          ? `mapping v${data.mappingVersion}`
          : '';
    say(
      `  ${String(e.revision ?? '').padStart(2)}  ${at}  ${pad(e.type, 24)} ${detail}  (actor ${e.metadata?.actor ?? '-'})`,
    );
  }
}

/** The tie-out of the period (GET /api/connections/:id/tie-out): each Gusto withdrawal beside its journal line. */
export function printTieOut(say: Say, report: any): void {
  say(`\nTie-out ${report.from} … ${report.to} (GET /api/connections/:id/tie-out):`);
  for (const p of report.payrolls) {
    const batch = p.acumatica
      ? `batch ${p.acumatica.batchNbr} (${p.acumatica.status ?? p.acumatica.error}) DR ${p.acumatica.debitTotal ?? '?'} CR ${p.acumatica.creditTotal ?? '?'}`
      : 'no batch';
    say(`  payroll ${p.payrollUuid} · check date ${p.checkDate} · ${p.status} · ${p.cashMode} mode · ${batch}`);
    const rows = p.ties.map((t: any) => [t.item, t.gusto ?? '', t.journal ?? '', t.acumatica ?? '', t.difference]);
    const header = ['', 'Gusto', 'journal', 'Acumatica', 'difference'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r: string[]) => r[i].length)));
    const line = (cells: string[]) => '    ' + cells.map((c, i) => pad(c, widths[i], i >= 1)).join('  ');
    say(line(header));
    rows.forEach((r: string[]) => say(line(r)));
    say(
      p.accruals.length === 0
        ? '    accruals: none needed (the pay period lies in the month of the entry date, or accrual is off)'
        : `    accruals: ${p.accruals.map((a: any) => `${a.month} ${a.skipped ? `skipped (${a.skipped})` : `${a.status} ${a.amount ?? ''}`}`).join('; ')}`,
    );
    say(
      p.differences.length === 0
        ? '    differences: none'
        : `    differences:\n${p.differences.map((d: string) => `      - ${d}`).join('\n')}`,
    );
  }
  const s = report.period;
  say(
    `  period: ${s.payrolls} payroll(s), ${s.posted} posted; Gusto company_debit ${s.gusto.companyDebit} = journal cash lines ${s.journal.cash}; journal DR ${s.journal.debit} / CR ${s.journal.credit}; Acumatica DR ${s.acumatica.debit} / CR ${s.acumatica.credit}; differences ${s.differences}`,
  );
}
