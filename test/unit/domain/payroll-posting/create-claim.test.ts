/**
 * The create claim under Acumatica's licence queue (issue #12): given events → when command → then events,
 * and what the saga does next at a given time. Queue limit 600 s, send window 30 s (the defaults).
 */
import { CLAIM_CHECK_EVERY_MS, sendWindowFor, waitingOf } from '../../../../src/domain/payroll-posting/create-claim';
import {
  recordAttemptFailed,
  recordJournalAbsent,
  recordJournalInAcumatica,
  replayPosting,
} from '../../../../src/domain/payroll-posting/decide';
import {
  recordOriginalAbsent,
  recordReversalAbsent,
  recordReversalBuilt,
} from '../../../../src/domain/payroll-posting/decide-reversal';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { nextStep } from '../../../../src/domain/payroll-posting/next-step';
import { fold, statusOf } from '../../../../src/domain/payroll-posting/state';
import { decider, eventsOf } from '../../../support/decider-spec';
import { PAYROLL, built, created, fetched, journal, postedEvent, requested, reversalRequested } from './fixtures';

const { given } = decider(fold);
const at = (iso: string) => new Date(iso);
const terms = { queueLimitMs: 600_000, sendWindowMs: 30_000 };
const T0 = '2026-01-23T10:00:00.000Z';
const SEND_BY = '2026-01-23T10:00:30.000Z';
const UNTIL = '2026-01-23T10:10:30.000Z'; // sendBy + 600 s
const claim: PayrollPostingEvent = {
  type: 'JournalCreationStarted',
  data: {
    step: 'create_journal',
    claimant: 'run-1',
    sentAt: T0,
    sendBy: SEND_BY,
    mayCommitUntil: UNTIL,
    leaseUntil: UNTIL,
  },
};
const history = [requested, fetched, built(), claim];
const failedCreate = (
  createOutcome: 'refused' | 'unknown',
  nextAttemptAt = '2026-01-23T10:00:05.000Z',
): PayrollPostingEvent => ({
  type: 'AttemptFailed',
  data: {
    step: 'create_journal',
    attempt: 1,
    retryable: true,
    nextAttemptAt,
    error: createOutcome === 'unknown' ? 'timeout' : '429',
    errorKind: createOutcome === 'unknown' ? 'timeout' : 'rate_limited',
    createOutcome,
  },
});

describe('create claim: the lookup found no journal', () => {
  it('with no claim: claims the create, sent now, by sendBy at the latest, and not repeatable before sendBy + queue limit', () => {
    given(requested, fetched, built())
      .when((s) => recordJournalAbsent(s, at(T0), 'run-1', terms))
      .then(claim);
  });

  it('under a live claim (another run, or a crashed one, sent a create that may still be queued): records the miss, never a second claim', () => {
    given(...history)
      .when((s) => recordJournalAbsent(s, at('2026-01-23T10:03:00.000Z'), 'run-2', terms))
      .then({
        type: 'QueuedCreateAwaited',
        data: {
          step: 'create_journal',
          checkedAt: '2026-01-23T10:03:00.000Z',
          until: UNTIL,
          nextCheckAt: '2026-01-23T10:04:00.000Z',
        },
      });
  });

  it('looks again every min(remaining, 60 s): the last lookup is at mayCommitUntil itself', () => {
    const d = eventsOf(
      given(...history).when((s) => recordJournalAbsent(s, at('2026-01-23T10:10:00.000Z'), 'run-2', terms)),
    );
    expect(d[0]).toMatchObject({ type: 'QueuedCreateAwaited', data: { nextCheckAt: UNTIL } });
  });

  it('once mayCommitUntil has passed and the journal is still not found: a new claim and create', () => {
    const d = eventsOf(given(...history).when((s) => recordJournalAbsent(s, at(UNTIL), 'run-2', terms)));
    expect(d.map((e) => e.type)).toEqual(['JournalCreationStarted']);
    expect(d[0]!.data).toMatchObject({ claimant: 'run-2', sentAt: UNTIL });
  });

  it('found by the lookup while the claim stands: recorded as found, the claim ends', () => {
    const d = eventsOf(
      given(...history).when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, true)),
    );
    expect(d.map((e) => e.type)).toEqual(['ExistingJournalFound', 'PayrollPosted']);
    const state = fold([...history, ...d]);
    expect(state.claimedUntil).toBeUndefined();
    expect(statusOf(state)).toBe('posted');
  });

  it('the send window is 1/20 of the queue limit, between 2 s and 30 s', () => {
    expect([sendWindowFor(600_000), sendWindowFor(5_000), sendWindowFor(60_000)]).toEqual([30_000, 2_000, 3_000]);
  });
});

describe('create claim: the create failed', () => {
  it('ambiguously (timeout, reset, 5xx): the claim stands; the retry looks up, and does not create before mayCommitUntil', () => {
    const d = eventsOf(
      given(...history).when((s) =>
        recordAttemptFailed(
          s,
          {
            step: 'create_journal',
            error: 'timeout',
            errorKind: 'timeout',
            retryable: true,
            nextAttemptAt: '2026-01-23T10:00:05.000Z',
            refused: false,
          },
          { maxAttempts: 5 },
        ),
      ),
    );
    expect(d).toEqual([failedCreate('unknown')]);
    const state = fold([...history, ...d]);
    expect(state.claimedUntil).toBe(UNTIL);
    expect(nextStep(state, at('2026-01-23T10:00:01.000Z'))).toEqual({
      kind: 'wait',
      until: '2026-01-23T10:00:05.000Z',
    });
    expect(nextStep(state, at('2026-01-23T10:00:05.000Z'))).toEqual({ kind: 'run', work: 'post' });
    // That lookup finds nothing: the miss is recorded and the next lookup waits.
    const miss = eventsOf(recordJournalAbsent(state, at('2026-01-23T10:00:05.000Z'), 'run-2', terms));
    expect(miss.map((e) => e.type)).toEqual(['QueuedCreateAwaited']);
    const waiting = fold([...history, ...d, ...miss]);
    expect(nextStep(waiting, at('2026-01-23T10:00:06.000Z'))).toEqual({
      kind: 'wait',
      until: '2026-01-23T10:01:05.000Z',
    });
    expect(statusOf(waiting)).toBe('pending');
    expect(waitingOf(waiting)).toEqual({
      for: 'queued_create',
      until: UNTIL,
      since: T0,
      nextCheckAt: '2026-01-23T10:01:05.000Z',
      checks: 1,
    });
  });

  it('refused by Acumatica (429 = declined, not queued; 4xx; 422) or never sent: the claim ends, the retry may create at once', () => {
    const d = eventsOf(
      given(...history).when((s) =>
        recordAttemptFailed(
          s,
          {
            step: 'create_journal',
            error: '429',
            errorKind: 'rate_limited',
            retryable: true,
            nextAttemptAt: '2026-01-23T10:00:05.000Z',
            refused: true,
          },
          { maxAttempts: 5 },
        ),
      ),
    );
    expect(d).toEqual([failedCreate('refused')]);
    const state = fold([...history, ...d]);
    expect(state.claimedUntil).toBeUndefined();
    expect(nextStep(state, at('2026-01-23T10:00:05.000Z'))).toEqual({ kind: 'run', work: 'post' });
    expect(eventsOf(recordJournalAbsent(state, at('2026-01-23T10:00:05.000Z'), 'run-2', terms))[0]!.type).toBe(
      'JournalCreationStarted',
    );
  });

  it('ambiguously and out of retries: needs attention, yet the claim outlives the block, so a replay looks up and still does not create early', () => {
    const d = eventsOf(
      given(...history).when((s) =>
        recordAttemptFailed(
          s,
          {
            step: 'create_journal',
            error: 'timeout',
            errorKind: 'timeout',
            retryable: true,
            nextAttemptAt: '2026-01-23T10:00:05.000Z',
            refused: false,
          },
          { maxAttempts: 1 },
        ),
      ),
    );
    expect(d.map((e) => e.type)).toEqual(['AttemptFailed', 'PostingBlocked']);
    const blocked = fold([...history, ...d]);
    expect(statusOf(blocked)).toBe('needs_attention');
    expect(blocked.claimedUntil).toBe(UNTIL);
    expect(waitingOf(blocked)).toBeUndefined();
    const replayed = fold([...history, ...d, ...eventsOf(replayPosting(blocked, {}))]);
    // Without a batch the journal is rebuilt first (the mapping may have been fixed); the claim survives it.
    expect(nextStep(replayed, at('2026-01-23T10:02:00.000Z'))).toEqual({ kind: 'run', work: 'build' });
    const rebuilt = fold([...history, ...d, ...eventsOf(replayPosting(blocked, {})), fetched, built()]);
    expect(rebuilt.claimedUntil).toBe(UNTIL);
    expect(nextStep(rebuilt, at('2026-01-23T10:02:00.000Z'))).toEqual({ kind: 'run', work: 'post' });
    expect(eventsOf(recordJournalAbsent(rebuilt, at('2026-01-23T10:02:00.000Z'), 'run-3', terms))[0]!.type).toBe(
      'QueuedCreateAwaited',
    );
  });

  it('a failed lookup under the claim (not the create) leaves the claim as it was', () => {
    const lookupFailed: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: {
        step: 'find_journal',
        attempt: 1,
        retryable: true,
        nextAttemptAt: '2026-01-23T10:02:05.000Z',
        error: '503',
      },
    };
    const state = fold([...history, lookupFailed]);
    expect(state.claimedUntil).toBe(UNTIL);
    expect(nextStep(state, at('2026-01-23T10:02:05.000Z'))).toEqual({ kind: 'run', work: 'post' });
  });
});

describe('create claim: what the saga does next', () => {
  it('while the claimant is presumably still waiting for its answer: nobody looks before the first check period', () => {
    expect(nextStep(fold(history), at('2026-01-23T10:00:10.000Z'))).toEqual({
      kind: 'wait',
      until: '2026-01-23T10:01:00.000Z',
    });
    expect(nextStep(fold(history), at('2026-01-23T10:01:00.000Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('recovering (after a crash, or a posting nobody drives): looks the journal up at once, not after the claim', () => {
    expect(nextStep(fold(history), at('2026-01-23T10:00:10.000Z'), { recovering: true })).toEqual({
      kind: 'run',
      work: 'post',
    });
  });

  it('checks are never further apart than 60 s', () => {
    expect(CLAIM_CHECK_EVERY_MS).toBe(60_000);
  });

  it('a claim written before the queue limit existed (leaseUntil only) is still waited out as a lease', () => {
    const legacy: PayrollPostingEvent = {
      type: 'JournalCreationStarted',
      data: { step: 'create_journal', leaseUntil: '2026-01-23T10:02:00.000Z', claimant: 'old' },
    };
    const state = fold([requested, fetched, built(), legacy]);
    expect(nextStep(state, at(T0), { recovering: true })).toEqual({ kind: 'wait', until: '2026-01-23T10:02:00.000Z' });
    expect(nextStep(state, at('2026-01-23T10:02:00.000Z'))).toEqual({ kind: 'run', work: 'post' });
  });

  it('the view says what it waits for: the queued create, since when, until when', () => {
    expect(waitingOf(fold(history))).toEqual({
      for: 'queued_create',
      until: UNTIL,
      since: T0,
      nextCheckAt: '2026-01-23T10:01:00.000Z',
    });
    expect(waitingOf(fold([...history, created]))).toBeUndefined();
  });
});

describe('create claim: cancellation and reversal', () => {
  it('a cancellation under a live claim looks the original up, and cancels only once the create can no longer commit', () => {
    const state = fold([...history, reversalRequested]);
    expect(nextStep(state, at('2026-01-23T10:00:10.000Z'))).toEqual({
      kind: 'wait',
      until: '2026-01-23T10:01:00.000Z',
    });
    expect(nextStep(state, at('2026-01-23T10:00:10.000Z'), { recovering: true })).toEqual({
      kind: 'run',
      work: 'check_original',
    });
    const early = eventsOf(recordOriginalAbsent(state, at('2026-01-23T10:00:10.000Z')));
    expect(early.map((e) => e.type)).toEqual(['QueuedCreateAwaited']);
    expect(fold([...history, reversalRequested, ...early]).phase).toBe('built');
    expect(eventsOf(recordOriginalAbsent(state, at(UNTIL))).map((e) => e.type)).toEqual(['PostingCancelled']);
  });

  it("the reversal's create follows the same rule, and its view says so", () => {
    const reversing = { ...journal(), tag: `gusto-reversal:${PAYROLL}`, kind: 'reversal' as const };
    const posted = [requested, fetched, built(), created, postedEvent, reversalRequested];
    const b = eventsOf(recordReversalBuilt(fold(posted), reversing));
    const before = [...posted, ...b];
    const claimed = eventsOf(recordReversalAbsent(fold(before), at(T0), 'rev-1', terms));
    expect(claimed).toEqual([
      { type: 'JournalCreationStarted', data: { ...claim.data, step: 'create_reversal', claimant: 'rev-1' } },
    ]);
    const timedOut: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: {
        step: 'create_reversal',
        attempt: 1,
        retryable: true,
        nextAttemptAt: '2026-01-23T10:00:05.000Z',
        error: 'timeout',
        createOutcome: 'unknown',
      },
    };
    const state = fold([...before, ...claimed, timedOut]);
    expect(state.reversal!.claimedUntil).toBe(UNTIL);
    expect(nextStep(state, at('2026-01-23T10:00:05.000Z'))).toEqual({ kind: 'run', work: 'post_reversal' });
    const miss = eventsOf(recordReversalAbsent(state, at('2026-01-23T10:00:05.000Z'), 'rev-2', terms));
    expect(miss.map((e) => e.type)).toEqual(['QueuedCreateAwaited']);
    expect(waitingOf(fold([...before, ...claimed, timedOut, ...miss]).reversal!)).toMatchObject({
      for: 'queued_create',
      until: UNTIL,
      checks: 1,
    });
  });
});
