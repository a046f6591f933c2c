import { fold, statusOf } from '../../../../src/domain/payroll-posting/state';
import {
  recordAttemptFailed,
  recordJournalInAcumatica,
  recordJournalReleased,
  recordPayrollRead,
  replayPosting,
  requestPosting,
  type Decision,
} from '../../../../src/domain/payroll-posting/decide';
import type { PayrollPosting } from '../../../../src/domain/payroll-posting/state';
import type { PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';
import { CONNECTION, PAYROLL, built, created, facts, fetched, journal, postedEvent, requested } from './fixtures';

/** Given these past events, when this command, then these events (or this named error). */
const given = (...events: PayrollPostingEvent[]) => ({
  when: (command: (state: PayrollPosting) => Decision) => command(fold(events)),
});
const types = (d: Decision) => (typeof d === 'string' ? d : d.map((e) => e.type));

describe('PayrollPosting decider: posting', () => {
  const request = { connectionId: CONNECTION, payrollUuid: PAYROLL, trigger: 'webhook' as const, sourceEventId: 'evt-1' };

  it('records the first request', () => {
    expect(given().when((s) => requestPosting(s, request))).toEqual([requested]);
  });

  it('ignores a repeated request (duplicate webhook, later poll) in every phase', () => {
    for (const history of [[requested], [requested, fetched, built()], [requested, fetched, built(), created, postedEvent]]) {
      expect(given(...history).when((s) => requestPosting(s, { ...request, trigger: 'poll' }))).toEqual([]);
    }
  });

  it('records the payroll read and the journal built', () => {
    const d = given(requested).when((s) => recordPayrollRead(s, facts, { ok: true, journal: journal(), mappingVersion: 1 }));
    expect(d).toEqual([fetched, built()]);
  });

  it('blocks a build with named reasons: the posting needs attention', () => {
    const reasons = [{ code: 'unmapped_component' as const, message: 'No account for earnings:Bonus', keys: ['earnings:Bonus'] }];
    const d = given(requested).when((s) => recordPayrollRead(s, facts, { ok: false, reasons }));
    expect(d).toEqual([fetched, { type: 'PostingBlocked', data: { step: 'build_journal', reasons } }]);
    expect(statusOf(fold([requested, ...(d as PayrollPostingEvent[])]))).toBe('needs_attention');
  });

  it('refuses to pass on a journal whose lines disagree with its totals', () => {
    const bad = journal();
    bad.lines[0] = { ...bad.lines[0]!, amount: '999.99' };
    const d = given(requested).when((s) => recordPayrollRead(s, facts, { ok: true, journal: bad, mappingVersion: 1 }));
    expect(types(d)).toEqual(['PayrollFetched', 'PostingBlocked']);
    expect((d as any)[1].data.reasons[0].code).toBe('unbalanced_journal');
  });

  it('posts in the same append as the create when release is off', () => {
    const d = given(requested, fetched, built()).when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, false));
    expect(d).toEqual([created, postedEvent]);
  });

  it('records a journal found by its tag (lost response after commit) instead of creating another', () => {
    const d = given(requested, fetched, built()).when((s) => recordJournalInAcumatica(s, { batchNbr: '000123', status: 'Balanced' }, true));
    expect(types(d)).toEqual(['ExistingJournalFound', 'PayrollPosted']);
  });

  it('with release on, waits for the release before PayrollPosted', () => {
    const withRelease = built(journal({ release: true }));
    const d = given(requested, fetched, withRelease).when((s) => recordJournalInAcumatica(s, { batchNbr: '7', status: 'Balanced' }, false));
    expect(types(d)).toEqual(['JournalCreated']);
    const after = [requested, fetched, withRelease, ...(d as PayrollPostingEvent[])];
    expect(statusOf(fold(after))).toBe('pending');
    const r = given(...after).when((s) => recordJournalReleased(s, { batchNbr: '7', status: 'Posted' }));
    expect(types(r)).toEqual(['JournalReleased', 'PayrollPosted']);
  });

  it('does not release twice a batch found already released', () => {
    const d = given(requested, fetched, built(journal({ release: true }))).when((s) =>
      recordJournalInAcumatica(s, { batchNbr: '7', status: 'Posted' }, true),
    );
    expect(types(d)).toEqual(['ExistingJournalFound', 'PayrollPosted']);
  });

  it('answers not_at_this_step when a step outcome arrives late (another run got there first)', () => {
    const history = [requested, fetched, built(), created, postedEvent];
    expect(given(...history).when((s) => recordJournalInAcumatica(s, { batchNbr: '9', status: 'Balanced' }, false))).toBe('not_at_this_step');
    expect(given(...history).when((s) => recordPayrollRead(s, facts, { ok: true, journal: journal(), mappingVersion: 1 }))).toBe('not_at_this_step');
  });
});

describe('PayrollPosting decider: failures and retries', () => {
  const at = '2026-01-23T10:00:02.000Z';
  const transient = { step: 'create_journal' as const, error: 'HTTP 429', errorKind: 'rate_limited', retryable: true, nextAttemptAt: at };

  it('schedules a transient failure: status failed, next attempt recorded', () => {
    const d = given(requested, fetched, built()).when((s) => recordAttemptFailed(s, transient, { maxAttempts: 3 }));
    expect(d).toEqual([{ type: 'AttemptFailed', data: { ...transient, attempt: 1 } }]);
    const state = fold([requested, fetched, built(), ...(d as PayrollPostingEvent[])]);
    expect(statusOf(state)).toBe('failed');
    expect(state.attempts).toBe(2);
  });

  it('gives up after maxAttempts failures: needs attention with retries_exhausted', () => {
    const f1 = recordAttemptFailed(fold([requested, fetched, built()]), transient, { maxAttempts: 2 }) as PayrollPostingEvent[];
    const d = given(requested, fetched, built(), ...f1).when((s) => recordAttemptFailed(s, transient, { maxAttempts: 2 }));
    expect(types(d)).toEqual(['AttemptFailed', 'PostingBlocked']);
    expect((d as any)[0].data.nextAttemptAt).toBeUndefined();
    expect((d as any)[1].data.reasons[0].code).toBe('retries_exhausted');
  });

  it('blocks at once on a permanent failure, with the reason in accountant words', () => {
    const reason = { code: 'closed_period' as const, message: 'The financial period of 2026-01-23 is closed in Acumatica.' };
    const d = given(requested, fetched, built()).when((s) =>
      recordAttemptFailed(s, { step: 'create_journal', error: 'Period closed', retryable: false, reason }, { maxAttempts: 5 }),
    );
    expect(d).toEqual([
      { type: 'AttemptFailed', data: { step: 'create_journal', attempt: 1, retryable: false, nextAttemptAt: undefined, error: 'Period closed', errorKind: undefined } },
      { type: 'PostingBlocked', data: { step: 'create_journal', reasons: [reason] } },
    ]);
    const state = fold([requested, fetched, built(), ...(d as PayrollPostingEvent[])]);
    expect(statusOf(state)).toBe('needs_attention');
    expect(state.lastError).toMatchObject({ step: 'create_journal', message: 'Period closed' });
  });

  it('refuses a failure report for a posting that is already posted', () => {
    expect(given(requested, fetched, built(), created, postedEvent).when((s) => recordAttemptFailed(s, transient, { maxAttempts: 3 }))).toBe('not_at_this_step');
  });
});

describe('PayrollPosting decider: replay', () => {
  const blocked: PayrollPostingEvent = { type: 'PostingBlocked', data: { step: 'build_journal', reasons: [{ code: 'unmapped_component', message: 'x' }] } };

  it('is refused for an unknown posting', () => {
    expect(given().when((s) => replayPosting(s, {}))).toBe('posting_not_found');
  });

  it('rebuilds a blocked posting from the payroll (the mapping may have been fixed)', () => {
    const d = given(requested, fetched, blocked).when((s) => replayPosting(s, { mappingVersion: 2 }));
    expect(d).toEqual([{ type: 'PostingReplayed', data: { mappingVersion: 2, requestedBy: undefined } }]);
    const state = fold([requested, fetched, blocked, ...(d as PayrollPostingEvent[])]);
    expect(state.phase).toBe('requested');
    expect(statusOf(state)).toBe('pending');
    expect(state.failures).toBe(0);
  });

  it('re-checks a posted journal by lookup rather than rebuilding it', () => {
    const history = [requested, fetched, built(), created, postedEvent];
    const d = given(...history).when((s) => replayPosting(s, {})) as PayrollPostingEvent[];
    const state = fold([...history, ...d]);
    expect(state.phase).toBe('built');
    expect(state.batchNbr).toBe('000123');
  });

  it('resets the failure count so a replay gets a full set of retries', () => {
    const failed: PayrollPostingEvent = { type: 'AttemptFailed', data: { step: 'find_journal', attempt: 1, retryable: true, nextAttemptAt: '2030-01-01T00:00:00Z', error: '503' } };
    const state = fold([requested, fetched, built(), failed, { type: 'PostingReplayed', data: {} }]);
    expect(state.failures).toBe(0);
    expect(state.nextAttemptAt).toBeUndefined();
  });
});
