import { fold, reversalStatusOf, statusOf } from '../../../../src/domain/payroll-posting/state';
import {
  recordOriginalAbsent,
  recordReversalBuilt,
  recordReversalInAcumatica,
  recordReversalReleased,
  requestReversal,
} from '../../../../src/domain/payroll-posting/decide-reversal';
import { recordAttemptFailed, recordJournalInAcumatica, type Decision } from '../../../../src/domain/payroll-posting/decide';
import { nextStep } from '../../../../src/domain/payroll-posting/next-step';
import type { PayrollPosting } from '../../../../src/domain/payroll-posting/state';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { CONNECTION, PAYROLL, built, created, fetched, journal, postedEvent, requested, reversalRequested } from './fixtures';

const given = (...events: PayrollPostingEvent[]) => ({ when: (c: (s: PayrollPosting) => Decision) => c(fold(events)) });
const types = (d: Decision) => (typeof d === 'string' ? d : d.map((e) => e.type));
const cancel = { connectionId: CONNECTION, payrollUuid: PAYROLL, trigger: 'webhook' as const, sourceEventId: 'evt-9', gustoShows: 'unprocessed' as const };
/** The same event, while Gusto (re-read) still shows the payroll processed. */
const forged = { ...cancel, gustoShows: 'processed' as const, processedDate: '2026-01-20T17:00:00Z' };
const now = new Date('2026-01-23T10:00:00Z');
const reversing = { ...journal(), tag: `gusto-reversal:${PAYROLL}`, kind: 'reversal' as const };
const posted = [requested, fetched, built(), created, postedEvent];

describe('PayrollPosting decider: cancellation', () => {
  it('cancels a posting that never built a journal: no journal, status cancelled', () => {
    const d = given(requested).when((s) => requestReversal(s, cancel));
    expect(types(d)).toEqual(['PostingCancelled']);
    const state = fold([requested, ...(d as PayrollPostingEvent[])]);
    expect(statusOf(state)).toBe('cancelled');
    expect(nextStep(state, now)).toEqual({ kind: 'idle', reason: 'settled' });
  });

  it('remembers a cancellation heard before the payroll itself, so a late request does nothing', () => {
    const d = given().when((s) => requestReversal(s, cancel)) as PayrollPostingEvent[];
    expect(d[0]!.data).toMatchObject({ connectionId: CONNECTION, payrollUuid: PAYROLL });
    expect(fold(d).phase).toBe('cancelled');
  });

  it('looks the original up first when a create may have committed unseen', () => {
    const history = [requested, fetched, built()];
    const d = given(...history).when((s) => requestReversal(s, cancel)) as PayrollPostingEvent[];
    expect(types(d)).toEqual(['ReversalRequested']);
    const state = fold([...history, ...d]);
    expect(nextStep(state, now)).toEqual({ kind: 'run', work: 'check_original' });
    expect(types(recordOriginalAbsent(state))).toEqual(['PostingCancelled']);
    // Found after all: it is recorded as posted, and the reversal follows.
    const found = recordJournalInAcumatica(state, { batchNbr: '000123', status: 'Balanced' }, true) as PayrollPostingEvent[];
    const after = fold([...history, ...d, ...found]);
    expect(statusOf(after)).toBe('posted');
    expect(nextStep(after, now)).toEqual({ kind: 'run', work: 'build_reversal' });
  });

  it('reverses a posted payroll: build, create (looked up first), done', () => {
    const d = given(...posted).when((s) => requestReversal(s, cancel));
    expect(d).toEqual([reversalRequested]);
    const h1 = [...posted, reversalRequested];
    expect(nextStep(fold(h1), now)).toEqual({ kind: 'run', work: 'build_reversal' });
    const b = recordReversalBuilt(fold(h1), reversing) as PayrollPostingEvent[];
    const h2 = [...h1, ...b];
    expect(nextStep(fold(h2), now)).toEqual({ kind: 'run', work: 'post_reversal' });
    const c = recordReversalInAcumatica(fold(h2), { batchNbr: '000124', status: 'Balanced' }, false);
    expect(types(c)).toEqual(['ReversalJournalCreated', 'PayrollReversed']);
    const state = fold([...h2, ...(c as PayrollPostingEvent[])]);
    expect(statusOf(state)).toBe('posted');
    expect(reversalStatusOf(state.reversal!)).toBe('reversed');
    expect(state.reversal!.batchNbr).toBe('000124');
    expect(nextStep(state, now)).toEqual({ kind: 'idle', reason: 'settled' });
  });

  it('records a cancellation Gusto contradicts and reverses nothing, whatever the phase', () => {
    for (const history of [posted, [requested, fetched, built()], [requested, fetched, built(), created]]) {
      const d = given(...history).when((s) => requestReversal(s, forged)) as PayrollPostingEvent[];
      expect(d).toEqual([{ type: 'CancellationContradicted', data: { trigger: 'webhook', sourceEventId: 'evt-9', gustoShows: 'processed', processedDate: '2026-01-20T17:00:00Z' } }]);
      const state = fold([...history, ...d]);
      expect(state).toEqual(fold(history));
      expect(state.reversal).toBeUndefined();
    }
  });

  it('does not cancel a posting in progress when Gusto shows the payroll processed', () => {
    const d = given(requested).when((s) => requestReversal(s, forged));
    expect(types(d)).toEqual(['CancellationContradicted']);
    expect(statusOf(fold([requested, ...(d as PayrollPostingEvent[])]))).toBe('pending');
  });

  it('posts a payroll first heard of through a cancellation that Gusto contradicts', () => {
    const d = given().when((s) => requestReversal(s, forged)) as PayrollPostingEvent[];
    expect(types(d)).toEqual(['PostingRequested', 'CancellationContradicted']);
    expect(nextStep(fold(d), now)).toEqual({ kind: 'run', work: 'build' });
  });

  it('never reverses a posted payroll that Gusto does not know (no positive evidence of a cancellation)', () => {
    const d = given(...posted).when((s) => requestReversal(s, { ...cancel, gustoShows: 'not_found' }));
    expect(d).toEqual([{ type: 'CancellationContradicted', data: { trigger: 'webhook', sourceEventId: 'evt-9', gustoShows: 'not_found' } }]);
  });

  it('requests a reversal only once', () => {
    expect(given(...posted, reversalRequested).when((s) => requestReversal(s, cancel))).toEqual([]);
  });

  it('releases the reversal when the journal is released', () => {
    const rel = { ...reversing, header: { ...reversing.header, release: true } };
    const h = [...posted, reversalRequested, { type: 'ReversalJournalBuilt', data: { journal: rel } } as PayrollPostingEvent];
    const c = recordReversalInAcumatica(fold(h), { batchNbr: '9', status: 'Balanced' }, true) as PayrollPostingEvent[];
    expect(types(c)).toEqual(['ReversalJournalFound']);
    expect(nextStep(fold([...h, ...c]), now)).toEqual({ kind: 'run', work: 'release_reversal' });
    expect(types(recordReversalReleased(fold([...h, ...c]), { batchNbr: '9', status: 'Posted' }))).toEqual(['ReversalJournalReleased', 'PayrollReversed']);
  });

  it('counts reversal failures against the reversal, leaving the posting posted', () => {
    const h = [...posted, reversalRequested];
    const d = recordAttemptFailed(fold(h), { step: 'create_reversal', error: '503', retryable: true, nextAttemptAt: '2026-01-23T10:00:05Z' }, { maxAttempts: 5 });
    const state = fold([...h, ...(d as PayrollPostingEvent[])]);
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
    const failed: PayrollPostingEvent = { type: 'AttemptFailed', data: { step: 'find_journal', attempt: 1, retryable: true, nextAttemptAt: '2026-01-23T10:00:10.000Z', error: '503' } };
    const state = fold([requested, fetched, built(), failed]);
    expect(nextStep(state, now)).toEqual({ kind: 'wait', until: '2026-01-23T10:00:10.000Z' });
    expect(nextStep(state, new Date('2026-01-23T10:00:10Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('stays idle while the posting needs attention', () => {
    const blocked: PayrollPostingEvent = { type: 'PostingBlocked', data: { step: 'build_journal', reasons: [{ code: 'no_mapping', message: 'x' }] } };
    expect(nextStep(fold([requested, fetched, blocked]), now)).toEqual({ kind: 'idle', reason: 'needs_attention' });
  });

  it('releases after a create when release is on', () => {
    expect(nextStep(fold([requested, fetched, built(journal({ release: true })), created]), now)).toEqual({ kind: 'run', work: 'release' });
  });
});

describe('create claims (JournalCreationStarted)', () => {
  const claim: PayrollPostingEvent = { type: 'JournalCreationStarted', data: { step: 'create_journal', leaseUntil: '2026-01-23T10:01:00.000Z', claimant: 'run-1' } };
  const history = [requested, fetched, built(), claim];

  it('holds every other run off until the lease lapses, then the next run looks the journal up', () => {
    expect(nextStep(fold(history), now)).toEqual({ kind: 'wait', until: '2026-01-23T10:01:00.000Z' });
    expect(nextStep(fold(history), new Date('2026-01-23T10:01:00Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('is released by the outcome: a failure report clears it, a replay does not', () => {
    const failed: PayrollPostingEvent = { type: 'AttemptFailed', data: { step: 'create_journal', attempt: 1, retryable: true, nextAttemptAt: '2026-01-23T10:00:01.000Z', error: '503' } };
    expect(fold([...history, failed]).claimedUntil).toBeUndefined();
    expect(fold([...history, { type: 'PostingReplayed', data: {} }]).claimedUntil).toBe('2026-01-23T10:01:00.000Z');
    expect(fold([...history, created]).claimedUntil).toBeUndefined();
  });

  it('makes a cancellation wait for an in-flight create before checking whether a journal exists', () => {
    const state = fold([...history, reversalRequested]);
    expect(nextStep(state, now)).toEqual({ kind: 'wait', until: '2026-01-23T10:01:00.000Z' });
  });
});
