import { fold, statusOf } from '../../../../src/domain/payroll-posting/state';
import {
  recordAttemptFailed,
  recordJournalInAcumatica,
  recordJournalReleased,
  recordPayrollRead,
  replayPosting,
  requestPosting,
} from '../../../../src/domain/payroll-posting/decide';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { decider } from '../../../support/decider-spec';
import { CONNECTION, PAYROLL, built, created, facts, fetched, journal, postedEvent, requested } from './fixtures';

const { given } = decider(fold);

describe('PayrollPosting decider: posting', () => {
  const request = {
    connectionId: CONNECTION,
    payrollUuid: PAYROLL,
    trigger: 'webhook' as const,
    sourceEventId: 'evt-1',
  };

  it('records the first request', () => {
    given()
      .when((s) => requestPosting(s, request))
      .then(requested);
  });

  it('ignores a repeated request (duplicate webhook, later poll) in every phase', () => {
    for (const history of [
      [requested],
      [requested, fetched, built()],
      [requested, fetched, built(), created, postedEvent],
    ]) {
      given(...history)
        .when((s) => requestPosting(s, { ...request, trigger: 'poll' }))
        .then();
    }
  });

  it('records the payroll read and the journal built', () => {
    given(requested)
      .when((s) => recordPayrollRead(s, facts, { ok: true, journal: journal(), mappingVersion: 1 }))
      .then(fetched, built());
  });

  it('blocks a build with named reasons: the posting needs attention', () => {
    const reasons = [
      { code: 'unmapped_component' as const, message: 'No account for earnings:Bonus', keys: ['earnings:Bonus'] },
    ];
    const { state } = given(requested)
      .when((s) => recordPayrollRead(s, facts, { ok: false, reasons }))
      .then(fetched, { type: 'PostingBlocked', data: { step: 'build_journal', reasons } });
    expect(statusOf(state)).toBe('needs_attention');
  });

  it('refuses to pass on a journal whose lines disagree with its totals', () => {
    const bad = journal();
    bad.lines[0] = { ...bad.lines[0]!, amount: '999.99' };
    const { events } = given(requested)
      .when((s) => recordPayrollRead(s, facts, { ok: true, journal: bad, mappingVersion: 1 }))
      .thenTypes('PayrollFetched', 'PostingBlocked');
    expect(events[1]).toMatchObject({ data: { reasons: [{ code: 'unbalanced_journal' }] } });
  });

  it('posts in the same append as the create when release is off', () => {
    given(requested, fetched, built())
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, false))
      .then(created, postedEvent);
  });

  it('records a journal found by its tag (lost response after commit) instead of creating another', () => {
    given(requested, fetched, built())
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, true))
      .thenTypes('ExistingJournalFound', 'PayrollPosted');
  });

  it('with release on, waits for the release before PayrollPosted', () => {
    const withRelease = built(journal({ release: true }));
    const { events, state } = given(requested, fetched, withRelease)
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '7', status: 'Balanced' }, false))
      .thenTypes('JournalCreated');
    expect(statusOf(state)).toBe('pending');
    given(requested, fetched, withRelease, ...events)
      .when((s) => recordJournalReleased(s, { batchNbr: '7', status: 'Posted' }))
      .thenTypes('JournalReleased', 'PayrollPosted');
  });

  it('does not release twice a batch found already released', () => {
    given(requested, fetched, built(journal({ release: true })))
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '7', status: 'Posted' }, true))
      .thenTypes('ExistingJournalFound', 'PayrollPosted');
  });

  it('answers not_at_this_step when a step outcome arrives late (another run got there first)', () => {
    const history = [requested, fetched, built(), created, postedEvent];
    given(...history)
      .when((s) => recordJournalInAcumatica(s, { batchNbr: '9', status: 'Balanced' }, false))
      .thenError('not_at_this_step');
    given(...history)
      .when((s) => recordPayrollRead(s, facts, { ok: true, journal: journal(), mappingVersion: 1 }))
      .thenError('not_at_this_step');
  });
});

describe('PayrollPosting decider: failures and retries', () => {
  const at = '2026-01-23T10:00:02.000Z';
  const transient = {
    step: 'create_journal' as const,
    error: 'HTTP 429',
    errorKind: 'rate_limited',
    retryable: true,
    nextAttemptAt: at,
  };

  it('schedules a transient failure: status failed, next attempt recorded', () => {
    const { state } = given(requested, fetched, built())
      .when((s) => recordAttemptFailed(s, transient, { maxAttempts: 3 }))
      .then({ type: 'AttemptFailed', data: { ...transient, attempt: 1 } });
    expect(statusOf(state)).toBe('failed');
    expect(state.attempts).toBe(2);
  });

  it('gives up after maxAttempts failures: needs attention with retries_exhausted', () => {
    const first = given(requested, fetched, built())
      .when((s) => recordAttemptFailed(s, transient, { maxAttempts: 2 }))
      .thenTypes('AttemptFailed');
    const { events } = given(requested, fetched, built(), ...first.events)
      .when((s) => recordAttemptFailed(s, transient, { maxAttempts: 2 }))
      .thenTypes('AttemptFailed', 'PostingBlocked');
    expect(events[0]).toMatchObject({ data: { nextAttemptAt: undefined } });
    expect(events[1]).toMatchObject({ data: { reasons: [{ code: 'retries_exhausted' }] } });
  });

  it('blocks at once on a permanent failure, with the reason in accountant words', () => {
    const reason = {
      code: 'closed_period' as const,
      message: 'The financial period of 2026-01-23 is closed in Acumatica.',
    };
    const { state } = given(requested, fetched, built())
      .when((s) =>
        recordAttemptFailed(
          s,
          { step: 'create_journal', error: 'Period closed', retryable: false, reason },
          { maxAttempts: 5 },
        ),
      )
      .then(
        {
          type: 'AttemptFailed',
          data: {
            step: 'create_journal',
            attempt: 1,
            retryable: false,
            nextAttemptAt: undefined,
            error: 'Period closed',
            errorKind: undefined,
          },
        },
        { type: 'PostingBlocked', data: { step: 'create_journal', reasons: [reason] } },
      );
    expect(statusOf(state)).toBe('needs_attention');
    expect(state.lastError).toMatchObject({ step: 'create_journal', message: 'Period closed' });
  });

  it('refuses a failure report for a posting that is already posted', () => {
    given(requested, fetched, built(), created, postedEvent)
      .when((s) => recordAttemptFailed(s, transient, { maxAttempts: 3 }))
      .thenError('not_at_this_step');
  });
});

describe('PayrollPosting decider: replay', () => {
  const blocked: PayrollPostingEvent = {
    type: 'PostingBlocked',
    data: { step: 'build_journal', reasons: [{ code: 'unmapped_component', message: 'x' }] },
  };

  it('is refused for an unknown posting', () => {
    given()
      .when((s) => replayPosting(s, {}))
      .thenError('posting_not_found');
  });

  it('rebuilds a blocked posting from the payroll (the mapping may have been fixed)', () => {
    const { state } = given(requested, fetched, blocked)
      .when((s) => replayPosting(s, { mappingVersion: 2 }))
      .then({ type: 'PostingReplayed', data: { mappingVersion: 2, requestedBy: undefined } });
    expect(state.phase).toBe('requested');
    expect(statusOf(state)).toBe('pending');
    expect(state.failures).toBe(0);
  });

  it('re-checks a posted journal by lookup rather than rebuilding it', () => {
    const { state } = given(requested, fetched, built(), created, postedEvent)
      .when((s) => replayPosting(s, {}))
      .thenTypes('PostingReplayed');
    expect(state.phase).toBe('built');
    expect(state.batchNbr).toBe('000123');
  });

  it('resets the failure count so a replay gets a full set of retries', () => {
    const failed: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: { step: 'find_journal', attempt: 1, retryable: true, nextAttemptAt: '2030-01-01T00:00:00Z', error: '503' },
    };
    const { state } = given(requested, fetched, built(), failed)
      .when((s) => replayPosting(s, {}))
      .thenTypes('PostingReplayed');
    expect(state.failures).toBe(0);
    expect(state.nextAttemptAt).toBeUndefined();
  });
});
