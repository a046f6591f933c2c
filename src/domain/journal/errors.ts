/**
 * Why a payroll could not become a journal. Each reason is named by `code`, a string-literal union the
 * HTTP layer and the posting decider map exhaustively.
 */
import type { MalformedAmount } from '../money';
import type { InvalidPayroll } from '../payroll/pay-components';
import type { TotalsMismatch } from '../payroll/reconcile';

export type JournalBuildErrorCode = JournalBuildError['code'];

/** One error listing every mapping key the payroll needs and the mapping lacks. */
export interface UnmappedComponent {
  code: 'unmapped_component';
  /** Each as "override or role", e.g. "earnings:Bonus or earnings", sorted. */
  missingKeys: string[];
  message: string;
}

/** The built lines do not add up: a defect in the builder, never expected. */
export interface Unbalanced {
  code: 'unbalanced';
  debit: string;
  credit: string;
  message: string;
}

export type JournalBuildError = UnmappedComponent | TotalsMismatch | MalformedAmount | Unbalanced | InvalidPayroll;

export type { MalformedAmount, InvalidPayroll, TotalsMismatch };
