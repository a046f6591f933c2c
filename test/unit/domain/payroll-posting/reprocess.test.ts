/** Issue 14: a payroll cancelled (or reversed) and then processed again by Gusto starts a new generation. */
import { recordPayrollRead, requestReprocessing } from '../../../../src/domain/payroll-posting/decide';
import { fold } from '../../../../src/domain/payroll-posting/state';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { reverseJournal } from '../../../../src/domain/journal/reverse-journal';
import { decider, eventsOf } from '../../../support/decider-spec';
import {
  PAYROLL,
  built,
  created,
  facts,
  fetched,
  journal,
  postedEvent,
  requested,
  reversalRequested,
} from './fixtures';

const cancelled: PayrollPostingEvent = {
  type: 'PostingCancelled',
  data: { trigger: 'webhook', sourceEventId: 'evt-2', reason: 'cancelled_before_posting' },
};
const reversed: PayrollPostingEvent[] = [
  reversalRequested,
  { type: 'ReversalJournalBuilt', data: { journal: reverseJournal(journal(), PAYROLL) } },
  { type: 'ReversalJournalCreated', data: { batchNbr: '000124', status: 'Balanced' } },
  { type: 'PayrollReversed', data: { batchNbr: '000124', originalBatchNbr: '000123' } },
];
const again = { trigger: 'webhook' as const, sourceEventId: 'evt-3', gustoShows: 'processed' as const };
const { given } = decider(fold);

describe('re-processing: a new generation of a cancelled or reversed posting', () => {
  it('given a posting cancelled before posting, when Gusto shows it processed again, then generation 2 is requested', () => {
    const { state: next } = given(requested, fetched, cancelled)
      .when((s) => requestReprocessing(s, again))
      .then({ type: 'PostingReprocessed', data: { generation: 2, trigger: 'webhook', sourceEventId: 'evt-3' } });
    expect(next).toMatchObject({ phase: 'requested', generation: 2, payrollUuid: PAYROLL });
    expect([next.journal, next.batchNbr, next.reversal, next.payroll]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('given a posted and reversed posting, when processed again, then generation 2; a third processing is generation 3', () => {
    const history = [requested, fetched, built(), created, postedEvent, ...reversed];
    const { events: decided } = given(...history)
      .when((s) => requestReprocessing(s, again))
      .then({ type: 'PostingReprocessed', data: { generation: 2, trigger: 'webhook', sourceEventId: 'evt-3' } });
    const gen2 = [
      ...history,
      ...decided,
      fetched,
      built({ ...journal(), tag: `gusto:${PAYROLL}/2` } as never),
      created,
      postedEvent,
      ...reversed,
    ];
    const { events } = given(...gen2)
      .when((s) => requestReprocessing(s, again))
      .thenTypes('PostingReprocessed');
    expect(events[0]).toMatchObject({ data: { generation: 3 } });
  });

  it('nothing to do: a live posting, a cancellation Gusto does not confirm as re-processed, a duplicate of the request', () => {
    given(requested, fetched, built(), created, postedEvent)
      .when((s) => requestReprocessing(s, again))
      .then();
    given(requested, fetched, cancelled)
      .when((s) => requestReprocessing(s, { ...again, gustoShows: 'unprocessed' }))
      .then();
    const once = eventsOf(given(requested, fetched, cancelled).when((s) => requestReprocessing(s, again)));
    given(requested, fetched, cancelled, ...once)
      .when((s) => requestReprocessing(s, again))
      .then();
  });

  it('generation 2 builds a journal tagged [gusto:<uuid>/2]; its reversal is [gusto-reversal:<uuid>/2]', () => {
    const { events: decided } = given(requested, fetched, cancelled, {
      type: 'PostingReprocessed',
      data: { generation: 2, trigger: 'webhook' },
    })
      .when((s) => recordPayrollRead(s, facts, { ok: true, journal: journal(), mappingVersion: 1 }))
      .thenTypes('PayrollFetched', 'JournalBuilt');
    const j = (decided[1] as Extract<PayrollPostingEvent, { type: 'JournalBuilt' }>).data.journal;
    expect(j.tag).toBe(`gusto:${PAYROLL}/2`);
    expect(j.header.description).toBe(`Gusto payroll [gusto:${PAYROLL}/2]`);
    const r = reverseJournal(j, PAYROLL);
    expect(r.tag).toBe(`gusto-reversal:${PAYROLL}/2`);
    expect(r.header.description).toBe(`Reversal of Gusto payroll [gusto-reversal:${PAYROLL}/2]`);
    // The first generation is unchanged.
    expect(reverseJournal(journal(), PAYROLL).tag).toBe(`gusto-reversal:${PAYROLL}`);
  });
});
