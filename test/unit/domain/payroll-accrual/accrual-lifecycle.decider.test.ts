/** PayrollAccrual decider, issue 14's remainder: release, replay, cancellation (voids), generations. */
import {
  accrualAttemptFailed,
  recordAccrualJournal,
  recordPlanFailure,
  releaseAccrualJournal,
  skipAccrualJournal,
} from '../../../../src/domain/payroll-accrual/decide';
import {
  foldAccrual,
  journalOf,
  nextAccrualWork,
  statusOfAccrual,
  type PayrollAccrual,
} from '../../../../src/domain/payroll-accrual/state';
import {
  accrualStream,
  parseAccrualStream,
  type PayrollAccrualEvent,
} from '../../../../src/domain/payroll-accrual/events';
import { cancelAccrual, replayAccrual, replayWithPosting } from '../../../../src/domain/payroll-accrual/lifecycle';
import type { Journal } from '../../../../src/domain/journal';
import type { Accepted } from '../../../../src/domain/shared/decision';
import { decider, eventsOf } from '../../../support/decider-spec';

const journal = (tag: string, date: string, release = false): Journal => ({
  tag,
  payrollUuid: 'p1',
  kind: 'accrual',
  header: { transactionDate: date, description: `Accrual 2025-12 of payroll [${tag}]`, release },
  lines: [
    { account: '60000', side: 'debit', amount: '10.00', memo: 'earnings', mappingKey: 'earnings' },
    { account: '22000', side: 'credit', amount: '10.00', memo: 'accrued', mappingKey: 'accruedPayroll' },
  ],
  totals: { debit: '10.00', credit: '10.00' },
  mappingVersion: 1,
  warnings: [],
});
const plan = (release = false): PayrollAccrualEvent => ({
  type: 'AccrualPlanned',
  data: {
    connectionId: 'c1',
    payrollUuid: 'p1',
    month: '2025-12',
    days: 4,
    periodDays: 14,
    accrual: journal('gusto-accrual:p1:2025-12', '2025-12-31', release),
    reversal: journal('gusto-accrual-reversal:p1:2025-12', '2026-01-01', release),
  },
});
const now = new Date('2026-01-20T00:00:00Z');
const { given } = decider((events: PayrollAccrualEvent[]) => foldAccrual(events));
/** given events → when an accepted decision → its events, the history after them, and the state folded on. */
const when = (history: PayrollAccrualEvent[], decide: (s: PayrollAccrual) => Accepted<PayrollAccrualEvent>) => {
  const { events, state } = given(...history)
    .when(decide)
    .thenAccepted();
  return { events, after: [...history, ...events], state };
};

describe('accrual release (mapping journal.release)', () => {
  it('release: created → released → the reversal → released → completed', () => {
    const a = when([plan(true)], (s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false));
    expect(a.events.map((e) => e.type)).toEqual(['AccrualJournalRecorded']);
    expect(nextAccrualWork(a.state, now)).toEqual({ kind: 'release', journal: 'accrual' });
    const r = when(a.after, (s) => releaseAccrualJournal(s, 'accrual', '000010', 'Posted'));
    expect(r.events).toEqual([
      {
        type: 'AccrualJournalReleased',
        data: { connectionId: 'c1', kind: 'accrual', batchNbr: '000010', status: 'Posted' },
      },
    ]);
    expect(nextAccrualWork(r.state, now)).toEqual({ kind: 'post', journal: 'reversal' });
    const b = when(r.after, (s) => recordAccrualJournal(s, 'reversal', '000011', 'Balanced', false));
    expect(nextAccrualWork(b.state, now)).toEqual({ kind: 'release', journal: 'reversal' });
    const c = when(b.after, (s) => releaseAccrualJournal(s, 'reversal', '000011', 'Posted'));
    expect(c.events.map((e) => e.type)).toEqual(['AccrualJournalReleased', 'AccrualCompleted']);
    expect(statusOfAccrual(c.state)).toBe('posted');
    expect(c.state.accrual.released && c.state.reversal.released).toBe(true);
  });

  it('a batch found already released needs no release; without release nothing is released', () => {
    const found = when([plan(true)], (s) => recordAccrualJournal(s, 'accrual', '000010', 'Posted', true));
    expect(nextAccrualWork(found.state, now)).toEqual({ kind: 'post', journal: 'reversal' });
    const off = when([plan(false)], (s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false));
    expect(nextAccrualWork(off.state, now)).toEqual({ kind: 'post', journal: 'reversal' });
  });
});

describe('accrual replay', () => {
  it('a plan that failed (no accruedPayroll account) is recorded once, placed by payroll and month', () => {
    const at = { connectionId: 'c1', payrollUuid: 'p1', month: '2025-12', generation: 2 };
    const failed = given()
      .when((s) => recordPlanFailure(s, at, 'no account mapped for: accruedPayroll'))
      .then({
        type: 'AccrualAttemptFailed',
        data: {
          connectionId: 'c1',
          kind: 'accrual',
          attempt: 1,
          error: 'no account mapped for: accruedPayroll',
          retryable: false,
          payrollUuid: 'p1',
          month: '2025-12',
          generation: 2,
        },
      });
    expect(statusOfAccrual(failed.state)).toBe('needs_attention');
    given(...failed.events)
      .when((s) => recordPlanFailure(s, at, 'again'))
      .then();
    given(plan())
      .when((s) => recordPlanFailure(s, at, 'planned already'))
      .then();
  });

  it('stuck (no accruedPayroll account, never planned) → replayable; the replay clears it', () => {
    const failed: PayrollAccrualEvent = {
      type: 'AccrualAttemptFailed',
      data: {
        connectionId: 'c1',
        kind: 'accrual',
        attempt: 1,
        error: 'no account mapped for: accruedPayroll',
        retryable: false,
        payrollUuid: 'p1',
        month: '2025-12',
      },
    };
    const s = foldAccrual([failed]);
    expect(statusOfAccrual(s)).toBe('needs_attention');
    expect(s.payrollUuid).toBe('p1');
    const { state: after } = given(failed)
      .when((st) => replayAccrual(st, 'key:k1'))
      .then({ type: 'AccrualReplayed', data: { connectionId: 'c1', requestedBy: 'key:k1' } });
    expect(after.stuck).toBe(false);
    // re-planned with the fixed mapping: the accrual is posted
    expect(nextAccrualWork(foldAccrual([plan()], after), now)).toEqual({ kind: 'post', journal: 'accrual' });
  });

  it('skipped for a closed period → the replay posts the accrual and its reversal again', () => {
    const history = [
      plan(),
      ...eventsOf(
        skipAccrualJournal(foldAccrual([plan()]), 'accrual', 'closed_period', 'financial period 2025-12 is closed'),
      ),
    ];
    expect(statusOfAccrual(foldAccrual(history))).toBe('skipped');
    const r = given(...history)
      .when((s) => replayAccrual(s, 'operator'))
      .thenTypes('AccrualReplayed');
    expect(r.state.accrual).toEqual({});
    expect(r.state.reversal).toEqual({});
    expect(nextAccrualWork(r.state, now)).toEqual({ kind: 'post', journal: 'accrual' });
    expect(statusOfAccrual(r.state)).toBe('pending');
  });

  it('a failing accrual (retry scheduled) is replayed at once; a posted one is not replayable; no stream: not found', () => {
    const failing = [
      plan(),
      ...eventsOf(accrualAttemptFailed(foldAccrual([plan()]), 'accrual', 'timeout', true, '2026-01-20T01:00:00Z')),
    ];
    const r = given(...failing)
      .when((s) => replayAccrual(s, 'operator'))
      .thenTypes('AccrualReplayed');
    expect(nextAccrualWork(r.state, now)).toEqual({ kind: 'post', journal: 'accrual' });
    const posted = when([plan()], (s) => recordAccrualJournal(s, 'accrual', '1', 'Balanced', false));
    const done = when(posted.after, (s) => recordAccrualJournal(s, 'reversal', '2', 'Balanced', false));
    given(...done.after)
      .when((s) => replayAccrual(s, 'operator'))
      .thenError('accrual_not_replayable');
    given()
      .when((s) => replayAccrual(s, 'operator'))
      .thenError('accrual_not_found');
  });
});

describe('accrual replayed with its posting (POST /api/postings/:id/replay)', () => {
  it('a failing or skipped accrual is replayed as by its own replay; a posted one or no stream: nothing, never an error', () => {
    const failing = [
      plan(),
      ...eventsOf(accrualAttemptFailed(foldAccrual([plan()]), 'accrual', 'timeout', true, '2026-01-20T01:00:00Z')),
    ];
    given(...failing)
      .when((s) => replayWithPosting(s, 'key:k1'))
      .then({ type: 'AccrualReplayed', data: { connectionId: 'c1', requestedBy: 'key:k1' } });
    const skipped = [
      plan(),
      ...eventsOf(
        skipAccrualJournal(foldAccrual([plan()]), 'accrual', 'closed_period', 'financial period 2025-12 is closed'),
      ),
    ];
    given(...skipped)
      .when((s) => replayWithPosting(s, 'operator'))
      .thenTypes('AccrualReplayed');
    const posted = when([plan()], (s) => recordAccrualJournal(s, 'accrual', '1', 'Balanced', false));
    const done = when(posted.after, (s) => recordAccrualJournal(s, 'reversal', '2', 'Balanced', false));
    given(...done.after)
      .when((s) => replayWithPosting(s, 'operator'))
      .then();
    given()
      .when((s) => replayWithPosting(s, 'operator'))
      .then();
  });
});

describe('accrual of a cancelled payroll', () => {
  const posted = (): PayrollAccrualEvent[] => {
    const a = when([plan()], (s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false));
    return when(a.after, (s) => recordAccrualJournal(s, 'reversal', '000011', 'Balanced', false)).after;
  };

  it('accrual and reversal posted → both voided, each dated like the journal it undoes; then cancelled', () => {
    const c = when(posted(), (s) => cancelAccrual(s, 'payroll reversed (batch 000020)'));
    expect(c.events).toEqual([
      { type: 'AccrualCancelled', data: { connectionId: 'c1', reason: 'payroll reversed (batch 000020)' } },
    ]);
    given(...c.after)
      .when((s) => cancelAccrual(s, 'again'))
      .then();
    expect(nextAccrualWork(c.state, now)).toEqual({ kind: 'post', journal: 'accrualVoid' });
    const v = journalOf(c.state, 'accrualVoid')!;
    expect(v.tag).toBe('gusto-accrual-void:p1:2025-12');
    expect(v.header.transactionDate).toBe('2025-12-31');
    expect(v.header.description.endsWith('[gusto-accrual-void:p1:2025-12]')).toBe(true);
    expect(v.lines.map((l) => l.side)).toEqual(['credit', 'debit']);
    expect(journalOf(c.state, 'reversalVoid')!.tag).toBe('gusto-accrual-reversal-void:p1:2025-12');
    expect(journalOf(c.state, 'reversalVoid')!.header.transactionDate).toBe('2026-01-01');
    const v1 = when(c.after, (s) => recordAccrualJournal(s, 'accrualVoid', '000030', 'Balanced', false));
    expect(nextAccrualWork(v1.state, now)).toEqual({ kind: 'post', journal: 'reversalVoid' });
    const v2 = when(v1.after, (s) => recordAccrualJournal(s, 'reversalVoid', '000031', 'Balanced', false));
    expect(v2.events.map((e) => e.type)).toEqual(['AccrualJournalRecorded', 'AccrualCompleted']);
    expect(statusOfAccrual(v2.state)).toBe('cancelled');
    // every account nets to zero over the four journals
    const net = new Map<string, number>();
    for (const k of ['accrual', 'reversal', 'accrualVoid', 'reversalVoid'] as const) {
      for (const l of journalOf(v2.state, k)!.lines)
        net.set(l.account, (net.get(l.account) ?? 0) + (l.side === 'debit' ? 1 : -1) * Number(l.amount));
    }
    expect([...net.values()].every((n) => n === 0)).toBe(true);
  });

  it('accrual posted, reversal not yet: the reversal is only looked up (settled), never created; the accrual is voided', () => {
    const a = when([plan()], (s) => recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false));
    const c = when(a.after, (s) => cancelAccrual(s, 'payroll reversed'));
    expect(nextAccrualWork(c.state, now)).toEqual({ kind: 'settle', journal: 'reversal' });
    const skipped = when(c.after, (s) =>
      skipAccrualJournal(
        s,
        'reversal',
        'payroll_cancelled',
        'the payroll was cancelled before the reversal was posted',
      ),
    );
    expect(nextAccrualWork(skipped.state, now)).toEqual({ kind: 'post', journal: 'accrualVoid' });
    const v = when(skipped.after, (s) => recordAccrualJournal(s, 'accrualVoid', '000030', 'Balanced', false));
    expect(v.events.map((e) => e.type)).toEqual(['AccrualJournalRecorded', 'AccrualCompleted']);
    expect(statusOfAccrual(v.state)).toBe('cancelled');
  });

  it('nothing posted yet: settle finds nothing → skipped, completed, nothing voided; never planned: nothing to cancel', () => {
    const c = when([plan()], (s) => cancelAccrual(s, 'payroll reversed'));
    expect(nextAccrualWork(c.state, now)).toEqual({ kind: 'settle', journal: 'accrual' });
    const s = when(c.after, (st) =>
      skipAccrualJournal(st, 'accrual', 'payroll_cancelled', 'cancelled before the accrual was posted'),
    );
    expect(s.events.map((e) => e.type)).toEqual(['AccrualSkipped', 'AccrualCompleted']);
    expect(statusOfAccrual(s.state)).toBe('cancelled');
    given()
      .when((st) => cancelAccrual(st, 'x'))
      .then();
  });
});

describe('accrual streams per generation', () => {
  it('generation 1 keeps the original name; generation 2 gets -g2- before the month; both parse back', () => {
    expect(accrualStream('c-1', 'p1', '2025-12')).toBe('payroll-accrual-c-1-p1-2025-12');
    expect(accrualStream('c-1', 'p1', '2025-12', 2)).toBe('payroll-accrual-c-1-p1-g2-2025-12');
    expect(parseAccrualStream('payroll-accrual-c-1-p1-g2-2025-12', 'c-1')).toEqual({
      payrollUuid: 'p1',
      month: '2025-12',
      generation: 2,
    });
    const uuid = '0b5e3b0e-1f2a-4c3d-8e9f-0a1b2c3d4e5f';
    expect(parseAccrualStream(accrualStream('c-1', uuid, '2026-01'), 'c-1')).toEqual({
      payrollUuid: uuid,
      month: '2026-01',
      generation: 1,
    });
  });
});
