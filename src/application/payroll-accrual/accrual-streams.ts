/**
 * Small reads the accrual process makes of the log: the posting as it stood at one of its events, and the
 * accrual streams of one posting generation.
 */
import type { Journal } from '../../domain/journal/journal';
import { evolveAccrual, foldAccrual, initialAccrual, type PayrollAccrual } from '../../domain/payroll-accrual/state';
import {
  ACCRUAL_EVENT_TYPES,
  ACCRUAL_STREAM_PREFIX,
  isPayrollAccrualEvent,
  parseAccrualStream,
  type AccrualJournalKind,
  type PayrollAccrualEvent,
} from '../../domain/payroll-accrual/events';
import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { fold, initialState, type PayrollPosting } from '../../domain/payroll-posting/state';
import type { EventStore } from '../ports/event-store.port';
import { eventsOfTypes, type Aggregate } from '../shared/command-handler';

/** A `payroll-accrual-…` stream as the command handler folds it (events of other types are skipped). */
export const accrualAggregate: Aggregate<PayrollAccrual, PayrollAccrualEvent> = {
  initial: initialAccrual,
  evolve: evolveAccrual,
  toEvent: eventsOfTypes<PayrollAccrualEvent>(ACCRUAL_EVENT_TYPES),
};

/** The posting folded up to `revision` (inclusive; all of it when absent). */
export async function postingAt(store: EventStore, stream: string, revision?: bigint): Promise<PayrollPosting> {
  const events = await store.readStream(stream);
  const upTo = revision === undefined ? events : events.filter((e) => e.revision <= revision);
  return fold(upTo.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[], initialState);
}

/** The accrual streams (one per month) of this payroll's generation, in month order. */
export async function accrualStreamsOf(
  store: EventStore,
  connectionId: string,
  payrollUuid: string,
  generation: number,
): Promise<string[]> {
  const prefix = `${ACCRUAL_STREAM_PREFIX}${connectionId}-${payrollUuid}-`;
  const events = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
  const streams = new Set<string>();
  for (const e of events) {
    const parsed = parseAccrualStream(e.stream, connectionId);
    if (parsed && parsed.payrollUuid === payrollUuid && parsed.generation === generation) streams.add(e.stream);
  }
  return [...streams].sort();
}

export const cancellationReason = (posting: PayrollPosting): string =>
  `the payroll was cancelled in Gusto and its journal reversed${posting.reversal?.batchNbr ? ` (batch ${posting.reversal.batchNbr})` : ''}`;

/** Planned accrual streams not completed and not waiting for a person: the process drives them again at start. */
export async function unfinishedAccrualStreams(store: EventStore): Promise<string[]> {
  const events = await store.readAll(undefined, { filter: { streamPrefixes: [ACCRUAL_STREAM_PREFIX] } });
  const byStream = new Map<string, PayrollAccrualEvent[]>();
  for (const e of events) {
    if (!isPayrollAccrualEvent(e)) continue;
    const list = byStream.get(e.stream) ?? [];
    list.push(e as unknown as PayrollAccrualEvent);
    byStream.set(e.stream, list);
  }
  return [...byStream]
    .filter(([, list]) => {
      const s = foldAccrual(list);
      return s.planned && !s.completed && !s.stuck;
    })
    .map(([stream]) => stream);
}

const KIND_WORDS: Record<AccrualJournalKind, string> = {
  accrual: 'accrual',
  reversal: 'accrual reversal',
  accrualVoid: 'void of the accrual',
  reversalVoid: 'void of the accrual reversal',
};

export const closedPeriodReason = (kind: AccrualJournalKind, journal: Journal, error: string): string =>
  `financial period ${journal.header.transactionDate.slice(0, 7)} is closed in Acumatica: the ${KIND_WORDS[kind]} dated ${journal.header.transactionDate} was not posted (${error})`;

export const cancelledBeforeReason = (kind: AccrualJournalKind, journal: Journal): string =>
  `the payroll was cancelled before the ${KIND_WORDS[kind]} dated ${journal.header.transactionDate} was posted: it is not posted`;
