/** PayrollAccrual decider: given events → when decision → then events / next work. */
import {
  accrualAttemptFailed,
  claimAccrualCreation,
  planAccrual,
  recordAccrualJournal,
  skipAccrualJournal,
} from '../../../../src/domain/payroll-accrual/decide';
import { foldAccrual, nextAccrualWork, statusOfAccrual } from '../../../../src/domain/payroll-accrual/state';
import type { PayrollAccrualEvent } from '../../../../src/domain/payroll-accrual/events';
import type { Journal } from '../../../../src/domain/journal';
import { decider } from '../../../support/decider-spec';

const journal = (tag: string): Journal => ({
  tag,
  payrollUuid: 'p1',
  kind: 'accrual',
  header: { transactionDate: '2025-12-31', description: `x [${tag}]`, release: false },
  lines: [],
  totals: { debit: '1.00', credit: '1.00' },
  mappingVersion: 1,
  warnings: [],
});
const planned: PayrollAccrualEvent = {
  type: 'AccrualPlanned',
  data: {
    connectionId: 'c1',
    payrollUuid: 'p1',
    month: '2025-12',
    days: 4,
    periodDays: 14,
    accrual: journal('gusto-accrual:p1:2025-12'),
    reversal: journal('gusto-accrual-reversal:p1:2025-12'),
  },
};
const now = new Date('2026-01-20T00:00:00Z');

const { given } = decider((events: PayrollAccrualEvent[]) => foldAccrual(events));

describe('PayrollAccrual decider', () => {
  it('plan: once; a second plan decides nothing', () => {
    given()
      .when((s) => planAccrual(s, planned.data))
      .then(planned);
    given(planned)
      .when((s) => planAccrual(s, planned.data))
      .then();
  });

  it('planned → post the accrual; recorded → post the reversal; recorded → completed (status posted)', () => {
    expect(nextAccrualWork(given(planned).state, now)).toEqual({ kind: 'post', journal: 'accrual' });
    const recorded: PayrollAccrualEvent = {
      type: 'AccrualJournalRecorded',
      data: { connectionId: 'c1', kind: 'accrual', batchNbr: '000010', status: 'Balanced', found: false },
    };
    const a = given(planned)
      .when((s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false))
      .then(recorded);
    expect(nextAccrualWork(a.state, now)).toEqual({ kind: 'post', journal: 'reversal' });
    const r = given(planned, recorded)
      .when((s) => recordAccrualJournal(s, 'reversal', '000011', 'Balanced', true))
      .thenTypes('AccrualJournalRecorded', 'AccrualCompleted');
    expect(r.events[1]).toEqual({
      type: 'AccrualCompleted',
      data: { connectionId: 'c1', accrualBatchNbr: '000010', reversalBatchNbr: '000011' },
    });
    expect(nextAccrualWork(r.state, now)).toEqual({ kind: 'none' });
    expect(statusOfAccrual(r.state)).toBe('posted');
    // Recorded already (a retried record after a lost race): nothing more.
    given(planned, recorded)
      .when((s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false))
      .then();
  });

  it('a live claim makes others wait until its lease ends; after it, post again (the lookup finds a committed create)', () => {
    const { state } = given(planned)
      .when((s) => claimAccrualCreation(s, 'accrual', '2026-01-20T00:01:00Z', 'run-1'))
      .then({
        type: 'AccrualCreationStarted',
        data: { connectionId: 'c1', kind: 'accrual', leaseUntil: '2026-01-20T00:01:00Z', claimant: 'run-1' },
      });
    expect(nextAccrualWork(state, now)).toEqual({ kind: 'wait', until: '2026-01-20T00:01:00Z' });
    expect(nextAccrualWork(state, new Date('2026-01-20T00:02:00Z'))).toEqual({ kind: 'post', journal: 'accrual' });
  });

  it('a closed period: the accrual is skipped with the reason, and its reversal too (nothing to undo)', () => {
    const { state: s } = given(planned)
      .when((st) =>
        skipAccrualJournal(st, 'accrual', 'closed_period', 'financial period 2025-12 is closed in Acumatica'),
      )
      .thenTypes('AccrualSkipped', 'AccrualCompleted');
    expect(s.accrual.skipped).toEqual({
      code: 'closed_period',
      reason: 'financial period 2025-12 is closed in Acumatica',
    });
    expect(s.reversal.skipped?.code).toBe('accrual_skipped');
    expect(statusOfAccrual(s)).toBe('skipped');
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'none' });
  });

  it('a transient failure schedules a retry; a permanent one waits for a person', () => {
    const transient = given(planned)
      .when((s) => accrualAttemptFailed(s, 'accrual', 'timeout', true, '2026-01-20T00:00:05Z'))
      .then({
        type: 'AccrualAttemptFailed',
        data: {
          connectionId: 'c1',
          kind: 'accrual',
          attempt: 1,
          error: 'timeout',
          retryable: true,
          nextAttemptAt: '2026-01-20T00:00:05Z',
        },
      });
    expect(statusOfAccrual(transient.state)).toBe('failed');
    expect(nextAccrualWork(transient.state, now)).toEqual({ kind: 'wait', until: '2026-01-20T00:00:05Z' });
    const { state: s } = given(planned, ...transient.events)
      .when((st) => accrualAttemptFailed(st, 'accrual', 'inactive account 22000', false))
      .thenTypes('AccrualAttemptFailed');
    expect(s.failures).toBe(2);
    expect(statusOfAccrual(s)).toBe('needs_attention');
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'none' });
  });
});
