import type { EmployeeSnapshot } from './snapshot';

/** Where the employee stands today, as far as Acumatica should be concerned. */
export type Employment =
  | { kind: 'active' }
  | { kind: 'terminated'; effectiveDate: string | null }
  | { kind: 'termination_scheduled'; effectiveDate: string };

/**
 * The calendar date in Pacific time: Gusto makes a termination effective at 00:00 PT after the last day
 * worked, so a UTC date would flip up to eight hours early. Pure: the instant comes in as an argument.
 */
export function pacificDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Los_Angeles',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * `terminated` is true for scheduled terminations too (UNCONFIRMED in Gusto's docs), so the record's own
 * `active` flag or the clock decides whether it is in effect. A false `terminated` wins over a stale
 * record: after a rehire Gusto may keep the old termination on file.
 */
export function employmentAt(snapshot: EmployeeSnapshot, now: Date): Employment {
  if (!snapshot.terminated) return { kind: 'active' };
  const effectiveDate = snapshot.terminationEffectiveDate;
  if (effectiveDate === null || snapshot.terminationActive || pacificDate(now) > effectiveDate) {
    return { kind: 'terminated', effectiveDate };
  }
  return { kind: 'termination_scheduled', effectiveDate };
}
