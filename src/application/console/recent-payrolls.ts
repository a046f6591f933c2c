import { GustoApiError } from '../ports/gusto.port';
import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { GustoPayrollDirectory, PostingLookup } from './ports';
import { ok, refuse, type ConsoleOutcome } from './results';

export interface RecentPayroll {
  payrollUuid: string;
  checkDate: string;
  payPeriod: { startDate: string | null; endDate: string | null };
  processed: boolean;
  offCycle: boolean;
  posting: { id: string; status: string } | null;
}

export const DEFAULT_PAYROLL_LIMIT = 25;
export const MAX_PAYROLL_LIMIT = 100;

const day = (date: Date): string => date.toISOString().slice(0, 10);
const addMonths = (date: Date, months: number, days = 0): Date => {
  const out = new Date(date);
  out.setUTCMonth(out.getUTCMonth() + months);
  out.setUTCDate(out.getUTCDate() + days);
  return out;
};

/**
 * Pay periods from 9 months back to 3 months ahead: Gusto refuses an end past today + 3 months and a
 * range over a year (reference §4.1), and its default window (pay periods ending by today) would hide a
 * processed payroll whose period ends later. Two days short of the bound: Gusto's today may be ahead of ours.
 */
export function payrollWindow(now: Date): { startDate: string; endDate: string } {
  return { startDate: day(addMonths(now, -9)), endDate: day(addMonths(now, 3, -2)) };
}

/** A company's recent Gusto payrolls beside their postings: what the mapping editor previews against. */
export class RecentPayrolls {
  constructor(
    private readonly connections: Connections,
    private readonly gusto: GustoPayrollDirectory,
    private readonly postingOf: PostingLookup,
    private readonly clock: Clock,
  ) {}

  async list(
    connectionId: string,
    limit: number = DEFAULT_PAYROLL_LIMIT,
  ): Promise<ConsoleOutcome<{ payrolls: RecentPayroll[] }>> {
    if (!(await this.connections.get(connectionId))) return refuse('connection_not_found', 'no such connection');
    let listed;
    try {
      listed = await this.gusto.listRecentPayrolls(connectionId, { limit, ...payrollWindow(this.clock.now()) });
    } catch (error) {
      if (!(error instanceof GustoApiError)) throw error;
      if (error.kind === 'not_connected')
        return refuse('gusto_not_connected', 'not_connected: authorize the connection with Gusto first');
      if (error.kind === 'needs_reauthorization')
        return refuse(
          'gusto_needs_reauthorization',
          'needs_reauthorization: Gusto rejected the stored grant; authorize the connection with Gusto again',
        );
      return refuse('gusto_unavailable', `Gusto could not be read: ${error.message}`, { kind: error.kind });
    }
    const newestFirst = [...listed]
      .filter((p) => !p.external)
      .sort((a, b) => (a.check_date === b.check_date ? 0 : a.check_date < b.check_date ? 1 : -1))
      .slice(0, limit);
    const payrolls = await Promise.all(
      newestFirst.map(async (p): Promise<RecentPayroll> => {
        const payrollUuid = p.payroll_uuid ?? p.uuid;
        return {
          payrollUuid,
          checkDate: p.check_date,
          payPeriod: { startDate: p.pay_period?.start_date ?? null, endDate: p.pay_period?.end_date ?? null },
          processed: p.processed === true,
          offCycle: p.off_cycle === true,
          posting: await this.postingOf(connectionId, payrollUuid),
        };
      }),
    );
    return ok({ payrolls });
  }
}
