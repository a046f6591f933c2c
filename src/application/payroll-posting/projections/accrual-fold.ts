/**
 * The postings projection's share of the accrual streams: each accrual event re-folds its (short) stream and
 * puts the result in the view of the posting it belongs to, whether that posting is folded in this batch, open
 * in memory, or settled in its stored row.
 */
import { ACCRUAL_STREAM_PREFIX, isPayrollAccrualEvent } from '../../../domain/payroll-accrual/events';
import { postingStream } from '../../../domain/payroll-posting/events';
import type { EventStore, RecordedEvent } from '../../ports/event-store.port';
import { accrualSummary } from './accrual-view';
import { foldStream, restoreAccruals, withAccrual, type FoldedPosting } from './posting-fold';
import type { ReadModelGeneration } from './read-model-store.port';

export async function foldAccrualEvents(
  store: EventStore,
  generation: ReadModelGeneration,
  events: RecordedEvent[],
  touched: Map<string, FoldedPosting>,
  open: ReadonlyMap<string, FoldedPosting>,
): Promise<void> {
  const last = new Map<string, RecordedEvent>();
  for (const e of events)
    if (e.stream.startsWith(ACCRUAL_STREAM_PREFIX) && isPayrollAccrualEvent(e)) last.set(e.stream, e);
  for (const [stream, event] of last) {
    const summary = accrualSummary(
      stream,
      (await store.readStream(stream)).filter((e) => e.position <= event.position),
    );
    if (!summary) continue;
    const posting = postingStream(summary.connectionId, summary.payrollUuid);
    let folded = touched.get(posting) ?? open.get(posting);
    if (!folded) {
      const row = generation.rows([posting]).get(posting);
      if (!row) continue;
      folded = restoreAccruals(
        foldStream((await store.readStream(posting)).filter((e) => e.position <= row.lastPosition)),
        row,
      );
    }
    if (folded) touched.set(posting, withAccrual(folded, summary.view, event.position));
  }
}
