import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { fold, initialState, type PayrollPosting } from '../../domain/payroll-posting/state';
import type { EventStore, ExpectedRevision, RecordedEvent } from '../ports/event-store.port';

export interface LoadedPosting {
  stream: string;
  state: PayrollPosting;
  /** What to pass as `expected` on the next append: 'no_stream' or the last revision. */
  expected: ExpectedRevision;
  events: RecordedEvent[];
}

export async function loadPosting(store: EventStore, stream: string): Promise<LoadedPosting> {
  const events = await store.readStream(stream);
  const domain = events.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[];
  const last = events[events.length - 1];
  return { stream, state: fold(domain, initialState), expected: last ? last.revision : 'no_stream', events };
}

export { toNewEvents } from '../shared/decided-events';
