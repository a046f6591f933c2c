/**
 * GET /api/connections/:id/tie-out: reads the connection's posting streams (its own small query of the
 * log, not the postings read model), keeps the payrolls whose check date is in [from, to], reads each
 * batch back from Acumatica now, and builds the report (`tie-out-report.ts`).
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port';
import { ACUMATICA_BATCHES, type AcumaticaBatchReader, type BatchReadBack } from './ports';
import { postingRecords } from './posting-records';
import { payrollTieOut, tieOutReport, type TieOutReport } from './tie-out-report';
import { required } from '../../domain/shared/required';

export type TieOutResult = { ok: true; report: TieOutReport } | { ok: false; error: 'connection_not_found' };

/** Batches read from Acumatica at once: a month of weekly payrolls is a handful, a year of them is not. */
const READ_CONCURRENCY = 4;

@Injectable()
export class TieOutQuery {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(ACUMATICA_BATCHES) private readonly batches: AcumaticaBatchReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(connectionId: string, from: string, to: string): Promise<TieOutResult> {
    if (!(await this.connections.get(connectionId))) return { ok: false, error: 'connection_not_found' };
    const records = (await postingRecords(this.store, connectionId)).filter((r) => {
      const d = r.state.payroll?.checkDate;
      return d !== undefined && d >= from && d <= to;
    });
    const batches = new Map<string, BatchReadBack | null | { error: string }>();
    const wanted = records.map((r) => r.state.batchNbr).filter((b): b is string => b !== undefined);
    for (let i = 0; i < wanted.length; i += READ_CONCURRENCY) {
      await Promise.all(
        wanted.slice(i, i + READ_CONCURRENCY).map(async (nbr) => {
          try {
            batches.set(nbr, await this.batches.readBatch(connectionId, nbr));
          } catch (error) {
            batches.set(nbr, { error: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
    }
    const payrolls = records.map((r) => {
      const s = r.state;
      const facts = required(s.payroll, 'the payroll of a posted record');
      return payrollTieOut({
        payrollUuid: r.payrollUuid,
        status: r.status,
        checkDate: facts.checkDate,
        ...(facts.payPeriod ? { payPeriod: facts.payPeriod } : {}),
        offCycle: facts.offCycle,
        gustoTotals: facts.totals,
        ...(s.journal ? { journal: s.journal } : {}),
        ...(s.batchNbr ? { batchNbr: s.batchNbr, batch: batches.get(s.batchNbr) } : {}),
        accruals: r.accruals,
        ...(s.reversal
          ? {
              reversal: { status: s.reversal.phase, ...(s.reversal.batchNbr ? { batchNbr: s.reversal.batchNbr } : {}) },
            }
          : {}),
        ...(s.lastError
          ? { lastError: s.lastError.message }
          : s.blocked?.length
            ? { lastError: s.blocked.map((b) => b.message).join('; ') }
            : {}),
      });
    });
    return { ok: true, report: tieOutReport(connectionId, from, to, this.clock.now().toISOString(), payrolls) };
  }
}
