import {
  isPayrollPostingEvent,
  postingId,
  STREAM_PREFIX,
  type PayrollPostingEvent,
} from '../../../domain/payroll-posting/events';
import { evolve, initialState, isSettled, statusOf, type PayrollPosting } from '../../../domain/payroll-posting/state';
import type { RecordedEvent } from '../../ports/event-store.port';
import { accrualKey, accrualsList, accrualsMap, type AccrualView } from './accrual-view';
import { toView, type PostingView, type ViewTimes } from './posting-view';
import type { PostingRow } from './read-model-store.port';

/** One posting stream folded so far: the decider's state, the view's times and the positions seen. */
export interface FoldedPosting {
  stream: string;
  state: PayrollPosting;
  times: ViewTimes;
  firstPosition: bigint;
  lastPosition: bigint;
  view: PostingView;
  /**
   * Where the view's journal is in the log: the position of the event whose data holds it (null: no
   * journal), so a store that can read the log by position need not keep a copy. Undefined: unknown.
   */
  journalPosition: bigint | null | undefined;
  /** The payroll's month-end accruals by `<generation>:<month>` (from its `payroll-accrual-…` streams). */
  accruals?: Record<string, AccrualView>;
}

const withAccruals = (view: PostingView, accruals: Record<string, AccrualView> | undefined): PostingView => {
  const list = accrualsList(accruals);
  return list ? { ...view, accruals: list } : view;
};

/** One accrual stream moved (its event at `position`): the posting's view shows the new state. */
export function withAccrual(folded: FoldedPosting, accrual: AccrualView, position: bigint): FoldedPosting {
  const accruals = { ...folded.accruals, [accrualKey(accrual)]: accrual };
  return {
    ...folded,
    accruals,
    view: withAccruals(folded.view, accruals),
    lastPosition: position > folded.lastPosition ? position : folded.lastPosition,
  };
}

/** A posting re-folded from its own stream takes its accruals back from its stored row. */
export function restoreAccruals(
  folded: FoldedPosting | undefined,
  row: PostingRow | undefined,
): FoldedPosting | undefined {
  if (!folded || !row) return folded;
  const accruals = accrualsMap(row.view.accruals);
  const lastPosition = row.lastPosition > folded.lastPosition ? row.lastPosition : folded.lastPosition;
  return accruals
    ? { ...folded, accruals, view: withAccruals(folded.view, accruals), lastPosition }
    : { ...folded, lastPosition };
}

/** The journal's source after `event`: that event (it carried the journal), unchanged, or unknown. */
function journalSource(
  previous: FoldedPosting | undefined,
  state: PayrollPosting,
  event: RecordedEvent,
): bigint | null | undefined {
  if (state.journal === undefined) return null;
  if (state.journal === (event.data as { journal?: unknown } | null)?.journal) return event.position;
  if (previous && state.journal === previous.state.journal) return previous.journalPosition;
  return undefined;
}

export const isPostingRecord = (event: RecordedEvent): boolean =>
  event.stream.startsWith(STREAM_PREFIX) && isPayrollPostingEvent(event);

/** Folds one recorded posting event into what was folded before (undefined: the stream's first event). */
export function foldPosting(previous: FoldedPosting | undefined, event: RecordedEvent): FoldedPosting {
  const domainEvent = event as unknown as PayrollPostingEvent;
  const at = typeof event.metadata.at === 'string' ? event.metadata.at : event.recordedAt;
  const state = evolve(previous?.state ?? initialState, domainEvent);
  const times: ViewTimes = {
    createdAt: previous?.times.createdAt ?? at,
    updatedAt: at,
    postedAt:
      domainEvent.type === 'PayrollPosted' ? at : state.phase === 'posted' ? previous?.times.postedAt : undefined,
    events: (previous?.times.events ?? 0) + 1,
  };
  // A posting stream always starts with an event naming its connection and payroll; the guard only
  // keeps a malformed stream out of the listings.
  const id = state.connectionId && state.payrollUuid ? postingId(state.connectionId, state.payrollUuid) : '';
  return {
    stream: event.stream,
    state,
    times,
    firstPosition: previous?.firstPosition ?? event.position,
    lastPosition: event.position,
    view: withAccruals(toView(id, state, times), previous?.accruals),
    journalPosition: journalSource(previous, state, event),
    ...(previous?.accruals ? { accruals: previous.accruals } : {}),
  };
}

export function foldStream(events: RecordedEvent[]): FoldedPosting | undefined {
  let folded: FoldedPosting | undefined;
  for (const event of events) if (isPostingRecord(event)) folded = foldPosting(folded, event);
  return folded;
}

export const toRow = (folded: FoldedPosting): PostingRow => ({
  stream: folded.stream,
  id: folded.view.id,
  connectionId: folded.view.connectionId,
  payrollUuid: folded.view.payrollUuid,
  status: folded.view.status,
  settled: isSettled(folded.state),
  firstPosition: folded.firstPosition,
  lastPosition: folded.lastPosition,
  view: folded.view,
  ...(folded.journalPosition !== undefined ? { journalPosition: folded.journalPosition } : {}),
});

export { statusOf };
