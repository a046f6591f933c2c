import { payrollWindow } from '../../../../src/application/console/recent-payrolls';

/** Gusto refuses end_date past today + 3 months and ranges over a year (422): the window must stay inside, every day of the year. */
describe('the recent-payrolls window', () => {
  const addMonthsClamped = (day: string, months: number): string => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const target = new Date(Date.UTC(y, m - 1 + months, 1));
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(d, last));
    return target.toISOString().slice(0, 10);
  };

  it('ends before today + 3 months and spans at most a year, for every day of a leap year and the next', () => {
    for (let t = Date.UTC(2028, 0, 1); t < Date.UTC(2030, 0, 1); t += 86_400_000) {
      const now = new Date(t + 13 * 3600_000);
      const today = now.toISOString().slice(0, 10);
      const { startDate, endDate } = payrollWindow(now);
      expect(endDate <= addMonthsClamped(today, 3)).toBe(true);
      expect(addMonthsClamped(startDate, 12) >= endDate).toBe(true);
      expect(startDate <= addMonthsClamped(today, -6)).toBe(true); // at least Gusto's own default window back
      expect(endDate > today).toBe(true); // and periods ending after today are included
    }
  });
});
