import { fold, reversalStatusOf, statusOf } from '../../../../src/domain/payroll-posting/state';
import {
  recordOriginalAbsent,
  recordReversalBuilt,
  recordReversalInAcumatica,
  recordReversalReleased,
  requestReversal,
} from '../../../../src/domain/payroll-posting/decide-reversal';
import { recordAttemptFailed, recordJournalInAcumatica } from '../../../../src/domain/payroll-posting/decide';
import { nextStep } from '../../../../src/domain/payroll-posting/next-step';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { decider } from '../../../support/decider-spec';
import {
  CONNECTION,
  PAYROLL,
  built,
  created,
  fetched,
  journal,
  postedEvent,
  requested,
  reversalRequested,
} from './fixtures';

const { given } = decider(fold);
const cancel = {
  connectionId: CONNECTION,
  payrollUuid: PAYROLL,
  trigger: 'webhook' as const,
  sourceEventId: 'evt-9',
  gustoShows: 'unprocessed' as const,
};
/** The same event, while Gusto (re-read) still shows the payroll processed. */
const forged = { ...cancel, gustoShows: 'processed' as const, processedDate: '2026-01-20T17:00:00Z' };
const now = new Date('2026-01-23T10:00:00Z');
const reversing = { ...journal(), tag: `gusto-reversal:${PAYROLL}`, kind: 'reversal' as const };
const posted = [requested, fetched, built(), created, postedEvent];

describe('PayrollPosting decider: cancellation', () => {
  it('cancels a posting that never built a journal: no journal, status cancelled', () => {
    const { state } = given(requested)
      .when((s) => requestReversal(s, cancel))
      .thenTypes('PostingCancelled');
    expect(statusOf(state)).toBe('cancelled');
    expect(nextStep(state, now)).toEqual({ kind: 'idle', reason: 'settled' });
  });

  it('remembers a cancellation heard before the payroll itself, so a late request does nothing', () => {
    const { events, state } = given()
      .when((s) => requestReversal(s, cancel))
      .thenTypes('PostingCancelled');
    expect(events[0]!.data).toMatchObject({ connectionId: CONNECTION, payrollUuid: PAYROLL });
    expect(state.phase).toBe('cancelled');
  });

  it('looks the original up first when a create may have committed unseen', () => {
    const history = [requested, fetched, built()];
    const { events, state } = given(...history)
      .when((s) => requestReversal(s, cancel))
      .thenTypes('ReversalRequested');
    expect(nextStep(state, now)).toEqual({ kind: 'run', work: 'check_original' });
    given(...history, ...events)
      .when((s) => recordOriginalAbsent(s))
      .thenTypes('PostingCancelled');
    // Found after all: it is recorded as posted, and the reversal follows.
    const { state: after } = given(...history, ...events)
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, true))
      .thenTypes('ExistingJournalFound', 'PayrollPosted');
    expect(statusOf(after)).toBe('posted');
    expect(nextStep(after, now)).toEqual({ kind: 'run', work: 'build_reversal' });
  });

  it('reverses a posted payroll: build, create (looked up first), done', () => {
    const { state: s1 } = given(...posted)
      .when((s) => requestReversal(s, cancel))
      .then(reversalRequested);
    expect(nextStep(s1, now)).toEqual({ kind: 'run', work: 'build_reversal' });
    const h1 = [...posted, reversalRequested];
    const built1 = given(...h1)
      .when((s) => recordReversalBuilt(s, reversing))
      .thenTypes('ReversalJournalBuilt');
    expect(nextStep(built1.state, now)).toEqual({ kind: 'run', work: 'post_reversal' });
    const { state } = given(...h1, ...built1.events)
      .when((s) => recordReversalInAcumatica(s, { batchNbr: '000124', status: 'Balanced' }, false))
      .thenTypes('ReversalJournalCreated', 'PayrollReversed');
    expect(statusOf(state)).toBe('posted');
    expect(reversalStatusOf(state.reversal!)).toBe('reversed');
    expect(state.reversal!.batchNbr).toBe('000124');
    expect(nextStep(state, now)).toEqual({ kind: 'idle', reason: 'settled' });
  });

  it('records a cancellation Gusto contradicts and reverses nothing, whatever the phase', () => {
    for (const history of [posted, [requested, fetched, built()], [requested, fetched, built(), created]]) {
      const { state } = given(...history)
        .when((s) => requestReversal(s, forged))
        .then({
          type: 'CancellationContradicted',
          data: {
            trigger: 'webhook',
            sourceEventId: 'evt-9',
            gustoShows: 'processed',
            processedDate: '2026-01-20T17:00:00Z',
          },
        });
      expect(state).toEqual(fold(history));
      expect(state.reversal).toBeUndefined();
    }
  });

  it('does not cancel a posting in progress when Gusto shows the payroll processed', () => {
    const { state } = given(requested)
      .when((s) => requestReversal(s, forged))
      .thenTypes('CancellationContradicted');
    expect(statusOf(state)).toBe('pending');
  });

  it('posts a payroll first heard of through a cancellation that Gusto contradicts', () => {
    const { state } = given()
      .when((s) => requestReversal(s, forged))
      .thenTypes('PostingRequested', 'CancellationContradicted');
    expect(nextStep(state, now)).toEqual({ kind: 'run', work: 'build' });
  });

  it('never reverses a posted payroll that Gusto does not know (no positive evidence of a cancellation)', () => {
    given(...posted)
      .when((s) => requestReversal(s, { ...cancel, gustoShows: 'not_found' }))
      .then({
        type: 'CancellationContradicted',
        data: { trigger: 'webhook', sourceEventId: 'evt-9', gustoShows: 'not_found' },
      });
  });

  it('requests a reversal only once', () => {
    given(...posted, reversalRequested)
      .when((s) => requestReversal(s, cancel))
      .then();
  });

  it('releases the reversal when the journal is released', () => {
    const rel = { ...reversing, header: { ...reversing.header, release: true } };
    const h = [
      ...posted,
      reversalRequested,
      { type: 'ReversalJournalBuilt', data: { journal: rel } } as PayrollPostingEvent,
    ];
    const found = given(...h)
      .when((s) => recordReversalInAcumatica(s, { batchNbr: '9', status: 'Balanced' }, true))
      .thenTypes('ReversalJournalFound');
    expect(nextStep(found.state, now)).toEqual({ kind: 'run', work: 'release_reversal' });
    given(...h, ...found.events)
      .when((s) => recordReversalReleased(s, { batchNbr: '9', status: 'Posted' }))
      .thenTypes('ReversalJournalReleased', 'PayrollReversed');
  });

  it('counts reversal failures against the reversal, leaving the posting posted', () => {
    const h = [...posted, reversalRequested];
    const { state } = given(...h)
      .when((s) =>
        recordAttemptFailed(
          s,
          { step: 'create_reversal', error: '503', retryable: true, nextAttemptAt: '2026-01-23T10:00:05Z' },
          { maxAttempts: 5 },
        ),
      )
      .thenTypes('AttemptFailed');
    expect(statusOf(state)).toBe('posted');
    expect(reversalStatusOf(state.reversal!)).toBe('failed');
    expect(state.failures).toBe(0);
    expect(nextStep(state, now)).toEqual({ kind: 'wait', until: '2026-01-23T10:00:05Z' });
  });
});

describe('nextStep', () => {
  it('walks the pipeline: build → post → settled', () => {
    expect(nextStep(fold([]), now)).toEqual({ kind: 'idle', reason: 'not_requested' });
    expect(nextStep(fold([requested]), now)).toEqual({ kind: 'run', work: 'build' });
    expect(nextStep(fold([requested, fetched, built()]), now)).toEqual({ kind: 'run', work: 'post' });
    expect(nextStep(fold(posted), now)).toEqual({ kind: 'idle', reason: 'settled' });
  });

  it('waits for a retry until its time, then runs it', () => {
    const failed: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: {
        step: 'find_journal',
        attempt: 1,
        retryable: true,
        nextAttemptAt: '2026-01-23T10:00:10.000Z',
        error: '503',
      },
    };
    const state = fold([requested, fetched, built(), failed]);
    expect(nextStep(state, now)).toEqual({ kind: 'wait', until: '2026-01-23T10:00:10.000Z' });
    expect(nextStep(state, new Date('2026-01-23T10:00:10Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('stays idle while the posting needs attention', () => {
    const blocked: PayrollPostingEvent = {
      type: 'PostingBlocked',
      data: { step: 'build_journal', reasons: [{ code: 'no_mapping', message: 'x' }] },
    };
    expect(nextStep(fold([requested, fetched, blocked]), now)).toEqual({ kind: 'idle', reason: 'needs_attention' });
  });

  it('releases after a create when release is on', () => {
    expect(nextStep(fold([requested, fetched, built(journal({ release: true })), created]), now)).toEqual({
      kind: 'run',
      work: 'release',
    });
  });
});

describe('create claims (JournalCreationStarted)', () => {
  const claim: PayrollPostingEvent = {
    type: 'JournalCreationStarted',
    data: { step: 'create_journal', leaseUntil: '2026-01-23T10:01:00.000Z', claimant: 'run-1' },
  };
  const history = [requested, fetched, built(), claim];

  it('holds every other run off until the lease lapses, then the next run looks the journal up', () => {
    expect(nextStep(fold(history), now)).toEqual({ kind: 'wait', until: '2026-01-23T10:01:00.000Z' });
    expect(nextStep(fold(history), new Date('2026-01-23T10:01:00Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('is released by the outcome: a failure report clears it, a replay does not', () => {
    const failed: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: {
        step: 'create_journal',
        attempt: 1,
        retryable: true,
        nextAttemptAt: '2026-01-23T10:00:01.000Z',
        error: '503',
      },
    };
    expect(fold([...history, failed]).claimedUntil).toBeUndefined();
    expect(fold([...history, { type: 'PostingReplayed', data: {} }]).claimedUntil).toBe('2026-01-23T10:01:00.000Z');
    expect(fold([...history, created]).claimedUntil).toBeUndefined();
  });

  it('makes a cancellation wait for an in-flight create before checking whether a journal exists', () => {
    const state = fold([...history, reversalRequested]);
    expect(nextStep(state, now)).toEqual({ kind: 'wait', until: '2026-01-23T10:01:00.000Z' });
  });
});
