/**
 * The journal an accountant signs: what the connector posts to Acumatica as one JournalTransaction.
 * Amounts are decimal strings with exactly two places ("1234.50"), never JS numbers.
 * (Owned by the accounting core; fields may be added, none removed without updating every user.)
 */
export type Side = 'debit' | 'credit';

export interface JournalLine {
  account: string;
  /** Absent: Acumatica applies its default subaccount. */
  subaccount?: string;
  side: Side;
  /**
   * Decimal string, 2 places, always positive: a negative amount (reversal payrolls) is posted as a
   * positive amount on the other side (see `src/domain/journal/lines.ts`).
   */
  amount: string;
  /** The line memo (Acumatica TransactionDescription). */
  memo: string;
  /**
   * The mapping key that produced this line: "earnings", "earnings:Overtime", … (for the preview).
   * A line merged from several keys (same account and subaccount) lists them, sorted: "earnings, earnings:Bonus".
   */
  mappingKey: string;
  /** Set in `department` detail for expense lines, in `employee` detail for every line. */
  department?: string;
  employeeUuid?: string;
}

export interface JournalHeader {
  branch?: string;
  ledger?: string;
  /** The payroll's check date, YYYY-MM-DD. */
  transactionDate: string;
  /** Carries the tag, e.g. "Gusto payroll 2026-01-04–2026-01-17 [gusto:<uuid>]". At most 256 characters. */
  description: string;
  /** Release the batch after creating it (mapping `journal.release`). */
  release: boolean;
}

export interface Journal {
  /**
   * What the duplicate check looks up: "gusto:<payroll uuid>", "gusto-reversal:<payroll uuid>",
   * "gusto-accrual:<payroll uuid>:<YYYY-MM>", "gusto-accrual-reversal:<payroll uuid>:<YYYY-MM>".
   */
  tag: string;
  payrollUuid: string;
  kind: 'payroll' | 'reversal' | 'accrual' | 'accrual-reversal' | 'accrual-void';
  header: JournalHeader;
  lines: JournalLine[];
  totals: { debit: string; credit: string };
  mappingVersion: number;
  /** Non-blocking findings (e.g. an unknown department fell back to the role's subaccount). */
  warnings: string[];
}
