/**
 * The tie-out's own small query of the log: every posting stream of a connection, folded with the
 * posting decider's `fold`. Independent of the postings read model (which is being rewritten), so the
 * report reads exactly what the audit trail says.
 */
import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { fold, initialState, statusOf, type PayrollPosting, type PostingStatus } from '../../domain/payroll-posting/state';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';

export interface PostingRecord {
  stream: string;
  payrollUuid: string;
  status: PostingStatus;
  state: PayrollPosting;
}

export async function postingRecords(store: EventStore, connectionId: string): Promise<PostingRecord[]> {
  const prefix = `payroll-posting-${connectionId}-`;
  const events = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (!e.stream.startsWith(prefix)) continue;
    const list = byStream.get(e.stream);
    if (list) list.push(e);
    else byStream.set(e.stream, [e]);
  }
  const out: PostingRecord[] = [];
  for (const [stream, list] of byStream) {
    const domain = list.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[];
    const state = fold(domain, initialState);
    if (state.phase === 'none') continue;
    out.push({ stream, payrollUuid: state.payrollUuid ?? stream.slice(prefix.length), status: statusOf(state), state });
  }
  return out;
}
