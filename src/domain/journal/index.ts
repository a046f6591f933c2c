export type { Journal, JournalHeader, JournalLine, Side } from './journal';
export { buildJournal, type BuildJournalOptions, type BuildJournalResult } from './build-journal';
export { reverseJournal, type ReverseJournalOptions } from './reverse-journal';
export type {
  JournalBuildError,
  JournalBuildErrorCode,
  UnmappedComponent,
  Unbalanced,
  TotalsMismatch,
  MalformedAmount,
  InvalidPayroll,
} from './errors';
