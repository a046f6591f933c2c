/** The tie-out report as CSV: one row per tie, then one per named difference, then the period's sums. */
import type { TieOutReport } from './tie-out-types';

const CSV_HEADER = ['check_date', 'payroll', 'status', 'item', 'gusto', 'journal', 'acumatica', 'difference'];

/** One row per tie, then one per named difference, then the period's sums: opens in any spreadsheet. */
export function tieOutCsv(report: TieOutReport): string {
  const rows: string[][] = [CSV_HEADER];
  for (const p of report.payrolls) {
    for (const t of p.ties)
      rows.push([
        p.checkDate,
        p.payrollUuid,
        p.status,
        t.item,
        t.gusto ?? '',
        t.journal ?? '',
        t.acumatica ?? '',
        t.difference,
      ]);
    if (p.acumatica)
      rows.push([
        p.checkDate,
        p.payrollUuid,
        p.status,
        `Acumatica batch ${p.acumatica.batchNbr} status`,
        '',
        '',
        p.acumatica.status ?? p.acumatica.error ?? '',
        '',
      ]);
    for (const a of p.accruals) {
      const voided = a.voidBatchNbrs ? `, voided by batch ${a.voidBatchNbrs.join(' and ')}` : '';
      const what = a.skipped
        ? `skipped: ${a.skipped}`
        : `${a.status}${a.accrualBatchNbr ? `, batch ${a.accrualBatchNbr}` : ''}${a.reversalBatchNbr ? `, reversal batch ${a.reversalBatchNbr}` : ''}${voided}`;
      const which = a.generation ? ` (generation ${a.generation})` : '';
      rows.push([
        p.checkDate,
        p.payrollUuid,
        p.status,
        `accrual ${a.month}${which} (${a.days ?? '?'}/${a.periodDays ?? '?'} days): ${what}`,
        '',
        a.amount ?? '',
        '',
        '',
      ]);
    }
    for (const d of p.differences)
      rows.push([p.checkDate, p.payrollUuid, p.status, `DIFFERENCE: ${d}`, '', '', '', '']);
  }
  const s = report.period;
  const period = `${report.from}..${report.to}`;
  rows.push([
    period,
    'PERIOD',
    '',
    `payrolls ${s.payrolls}, posted ${s.posted}, differences ${s.differences}`,
    '',
    '',
    '',
    '',
  ]);
  for (const [k, v] of Object.entries(s.gusto.withdrawals))
    rows.push([period, 'PERIOD', '', `Gusto ${k}`, v, '', '', '']);
  rows.push([
    period,
    'PERIOD',
    '',
    'Gusto company_debit / journal cash lines',
    s.gusto.companyDebit,
    s.journal.cash,
    '',
    '',
  ]);
  rows.push([period, 'PERIOD', '', 'debits', '', s.journal.debit, s.acumatica.debit, '']);
  rows.push([period, 'PERIOD', '', 'credits', '', s.journal.credit, s.acumatica.credit, '']);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(v: string): string {
  // A leading =, +, -, @ would be a formula in a spreadsheet: amounts are safe (digits), text gets a quote.
  const safe = /^[=+@]/.test(v) || (/^-/.test(v) && !/^-\d+\.\d{2}$/.test(v)) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
