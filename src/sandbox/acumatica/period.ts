/**
 * FinancialPeriod (GL201000), read-only: calendar-month periods for 2015–2035, generated from the
 * closed-period knob. Period `Status` strings (`Open`, `Closed`) are UNCONFIRMED as API strings.
 */
import type { Ctx } from './http';
import { notFoundByKey } from './http';
import { sendList, sendOne } from './query';
import { EntitySchema, Rec } from './schema';

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2035;

export const FinancialPeriodSchema: EntitySchema = {
  dac: 'FinYear',
  fields: { FinancialYear: 'string', NbrOfPeriods: 'int', StartDate: 'datetime', UserDefinedPeriods: 'boolean' },
  details: {
    Details: {
      dac: 'FinPeriod',
      fields: {
        AdjustmentPeriod: 'boolean',
        ClosedInAP: 'boolean',
        ClosedInAR: 'boolean',
        ClosedInCA: 'boolean',
        ClosedInFA: 'boolean',
        ClosedInIN: 'boolean',
        Description: 'string',
        EndDate: 'datetime',
        FinancialPeriodID: 'string',
        LengthInDays: 'int',
        PeriodNbr: 'string',
        StartDate: 'datetime',
        Status: 'string',
      },
    },
  },
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function year(y: number, closed: Set<string>): Rec {
  const details = MONTHS.map((name, i): Rec => {
    const start = new Date(Date.UTC(y, i, 1));
    const end = new Date(Date.UTC(y, i + 1, 1));
    const mm = String(i + 1).padStart(2, '0');
    const isClosed = closed.has(`${mm}${y}`);
    return {
      id: `00000000-0000-0000-${String(y)}-${mm.padStart(12, '0')}`,
      linked: {},
      details: {},
      f: {
        AdjustmentPeriod: false,
        ClosedInAP: isClosed,
        ClosedInAR: isClosed,
        ClosedInCA: isClosed,
        ClosedInFA: isClosed,
        ClosedInIN: isClosed,
        Description: name,
        EndDate: end.toISOString(),
        FinancialPeriodID: `${mm}${y}`,
        LengthInDays: (end.getTime() - start.getTime()) / 86_400_000,
        PeriodNbr: mm,
        StartDate: start.toISOString(),
        Status: isClosed ? 'Closed' : 'Open',
      },
    };
  });
  return {
    id: `00000000-0000-0000-0000-00000000${String(y)}`,
    linked: {},
    details: { Details: details },
    f: {
      FinancialYear: String(y),
      NbrOfPeriods: 12,
      StartDate: new Date(Date.UTC(y, 0, 1)).toISOString(),
      UserDefinedPeriods: false,
    },
  };
}

export function financialPeriods(ctx: Ctx, keys: string[], closed: Set<string>): void {
  const years: Rec[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years.push(year(y, closed));
  if (keys.length === 0) return sendList(ctx, 'FinancialPeriod', FinancialPeriodSchema, years);
  const rec = years.find((r) => r.f.FinancialYear === keys[0] || r.id === keys[0]);
  return rec ? sendOne(ctx, 'FinancialPeriod', FinancialPeriodSchema, rec) : notFoundByKey(ctx);
}
