import { Inject, Injectable } from '@nestjs/common';
import type { Journal } from '../../domain/journal/journal';
import type { BlockReason } from '../../domain/payroll-posting/events';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { GUSTO, type GustoApi } from '../ports/gusto.port';
import { buildWithCurrentMapping, payrollFacts } from './posting-steps';

export type PreviewResult =
  | { ok: true; journal: Journal; mappingVersion: number; payroll: ReturnType<typeof payrollFacts> }
  | { ok: false; error: 'connection_not_found' }
  | { ok: false; error: 'blocked'; reasons: BlockReason[] };

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
    return { ok: true, journal: built.journal, mappingVersion: built.mappingVersion, payroll: payrollFacts(payroll) };
  }
}
