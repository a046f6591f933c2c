/**
 * Generations (issue 14): a payroll Gusto cancels and then processes again keeps its uuid; the second
 * processing is posted as a new journal tagged `[gusto:<uuid>/2]` (`/3`, …), the first keeps `[gusto:<uuid>]`.
 * Lookups include the closing bracket, so `[gusto:<uuid>]` never finds `[gusto:<uuid>/2]`.
 */
import { tagged } from './header';
import type { Journal } from './journal';

const TAG = /\s*\[gusto:[^\]]*\]$/;

export function withGeneration(journal: Journal, generation: number): Journal {
  if (generation <= 1 || journal.kind !== 'payroll') return journal;
  const tag = `gusto:${journal.payrollUuid}/${generation}`;
  return {
    ...journal,
    tag,
    header: { ...journal.header, description: tagged(journal.header.description.replace(TAG, ''), tag) },
  };
}
