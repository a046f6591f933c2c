/**
 * Which check dates the backfill poll asks Gusto for. Pure date arithmetic on `YYYY-MM-DD` (UTC).
 *
 * Why these numbers:
 * - `overlapDays` (31): the watermark is the date of the last complete poll, but a payroll processed after
 *   it can carry an earlier check date (reversal and correction off-cycles reuse old dates); a month of
 *   overlap covers a monthly cycle, and re-seeing a payroll costs one stream read (it is then skipped).
 * - `lookaheadDays` (89): payrolls are processed days before their check date (bonus runs even weeks);
 *   Gusto refuses an `end_date` past today + 3 months, and 89 days is within that for every month.
 * - Gusto refuses a range over one year, so a long outage is covered by consecutive windows.
 */
export interface PollWindowOptions {
  overlapDays: number;
  /** When there is no watermark yet (first poll of a connection). */
  initialLookbackDays: number;
  lookaheadDays: number;
}

export const DEFAULT_POLL_WINDOW: PollWindowOptions = { overlapDays: 31, initialLookbackDays: 31, lookaheadDays: 89 };

const MAX_RANGE_DAYS = 364;
const DAY_MS = 86_400_000;

export const isoDate = (at: Date): string => at.toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string =>
  isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export interface DateWindow {
  startDate: string;
  endDate: string;
}

/** The windows to list, oldest first, for a poll at `now` after a watermark (the date of the last complete poll). */
export function pollWindows(
  now: Date,
  watermark: string | undefined,
  options: PollWindowOptions = DEFAULT_POLL_WINDOW,
): DateWindow[] {
  const today = isoDate(now);
  const start =
    watermark === undefined
      ? addDays(today, -options.initialLookbackDays)
      : addDays(watermark < today ? watermark : today, -options.overlapDays);
  const end = addDays(today, options.lookaheadDays);
  const windows: DateWindow[] = [];
  let from = start;
  while (from <= end) {
    const to = daysBetween(from, end) > MAX_RANGE_DAYS ? addDays(from, MAX_RANGE_DAYS) : end;
    windows.push({ startDate: from, endDate: to });
    from = addDays(to, 1);
  }
  return windows;
}
