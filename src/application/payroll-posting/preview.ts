import { Inject, Injectable } from '@nestjs/common';
import { buildAccruals, type Accrual } from '../../domain/journal/accrual';
import type { Journal } from '../../domain/journal/journal';
import { parseMapping } from '../../domain/mapping/parse-mapping';
import type { BlockReason } from '../../domain/payroll-posting/events';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { GUSTO, type GustoApi } from '../ports/gusto.port';
import { buildWithCurrentMapping } from './current-mapping';
import { payrollFacts } from './payroll-facts';

export type PreviewResult =
  | {
      ok: true;
      journal: Journal;
      mappingVersion: number;
      payroll: ReturnType<typeof payrollFacts>;
      accruals: PreviewAccruals;
    }
  | { ok: false; error: 'connection_not_found' }
  | { ok: false; error: 'blocked'; reasons: BlockReason[] };

/** The month-end accruals the journal would bring (issue 14): none unless the mapping enables accrual. */
export type PreviewAccruals = { ok: true; accruals: Accrual[] } | { ok: false; errors: string[] };

/** The journal a payroll would become with the current mapping: same code path as the posting, no writes. */
@Injectable()
export class PostingPreview {
  constructor(
    @Inject(GUSTO) private readonly gusto: GustoApi,
    @Inject(CONNECTIONS) private readonly connections: Connections,
  ) {}

  async preview(connectionId: string, payrollUuid: string): Promise<PreviewResult> {
    if (!(await this.connections.get(connectionId))) return { ok: false, error: 'connection_not_found' };
    // Gusto errors propagate: the HTTP adapter maps them (not found, not connected, unavailable).
    const payroll = await this.gusto.getPayroll(connectionId, payrollUuid);
    const built = await buildWithCurrentMapping(this.connections, connectionId, payroll);
    if (!built.ok) return { ok: false, error: 'blocked', reasons: built.reasons };
    return {
      ok: true,
      journal: built.journal,
      mappingVersion: built.mappingVersion,
      payroll: payrollFacts(payroll),
      accruals: await this.accruals(connectionId, built.journal, payroll.pay_period),
    };
  }

  /** The accruals the accrual process would post for this journal (same pure function). */
  private async accruals(
    connectionId: string,
    journal: Journal,
    period: { start_date: string | null; end_date: string | null } | undefined,
  ): Promise<PreviewAccruals> {
    const stored = await this.connections.getMapping(connectionId);
    const parsed = stored ? parseMapping(stored.document) : undefined;
    if (!parsed?.ok || parsed.mapping.journal.accrual?.enabled !== true) return { ok: true, accruals: [] };
    const payPeriod =
      period?.start_date && period.end_date ? { startDate: period.start_date, endDate: period.end_date } : null;
    const built = buildAccruals(journal, payPeriod, parsed.mapping);
    return built.ok ? built : { ok: false, errors: built.errors.map((e) => e.message) };
  }
}
