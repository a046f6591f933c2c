/** PayrollAccrual decider: given events → when decision → then events / next work. */
import {
  accrualAttemptFailed,
  claimAccrualCreation,
  foldAccrual,
  nextAccrualWork,
  planAccrual,
  recordAccrualJournal,
  skipAccrualJournal,
  statusOfAccrual,
} from '../../../../src/domain/payroll-accrual/decide';
import type { PayrollAccrualEvent } from '../../../../src/domain/payroll-accrual/events';
import type { Journal } from '../../../../src/domain/journal';

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

describe('PayrollAccrual decider', () => {
  it('plan: once; a second plan decides nothing', () => {
    expect(planAccrual(foldAccrual([]), planned.data)).toEqual([planned]);
    expect(planAccrual(foldAccrual([planned]), planned.data)).toEqual([]);
  });

  it('planned → post the accrual; recorded → post the reversal; recorded → completed (status posted)', () => {
    let s = foldAccrual([planned]);
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'post', journal: 'accrual' });
    const a = recordAccrualJournal(s, 'accrual', '000010', 'Balanced', false);
    expect(a).toEqual([
      {
        type: 'AccrualJournalRecorded',
        data: { connectionId: 'c1', kind: 'accrual', batchNbr: '000010', status: 'Balanced', found: false },
      },
    ]);
    s = foldAccrual(a, s);
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'post', journal: 'reversal' });
    const r = recordAccrualJournal(s, 'reversal', '000011', 'Balanced', true);
    expect(r.map((e) => e.type)).toEqual(['AccrualJournalRecorded', 'AccrualCompleted']);
    expect(r[1]).toEqual({
      type: 'AccrualCompleted',
      data: { connectionId: 'c1', accrualBatchNbr: '000010', reversalBatchNbr: '000011' },
    });
    s = foldAccrual(r, s);
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'none' });
    expect(statusOfAccrual(s)).toBe('posted');
  });

  it('a live claim makes others wait until its lease ends; after it, post again (the lookup finds a committed create)', () => {
    const claim = claimAccrualCreation(foldAccrual([planned]), 'accrual', '2026-01-20T00:01:00Z', 'run-1');
    const s = foldAccrual([planned, ...claim]);
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'wait', until: '2026-01-20T00:01:00Z' });
    expect(nextAccrualWork(s, new Date('2026-01-20T00:02:00Z'))).toEqual({ kind: 'post', journal: 'accrual' });
  });

  it('a closed period: the accrual is skipped with the reason, and its reversal too (nothing to undo)', () => {
    const events = skipAccrualJournal(
      foldAccrual([planned]),
      'accrual',
      'closed_period',
      'financial period 2025-12 is closed in Acumatica',
    );
    expect(events.map((e) => e.type)).toEqual(['AccrualSkipped', 'AccrualCompleted']);
    const s = foldAccrual([planned, ...events]);
    expect(s.accrual.skipped).toEqual({
      code: 'closed_period',
      reason: 'financial period 2025-12 is closed in Acumatica',
    });
    expect(s.reversal.skipped?.code).toBe('accrual_skipped');
    expect(statusOfAccrual(s)).toBe('skipped');
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'none' });
  });

  it('a transient failure schedules a retry; a permanent one waits for a person', () => {
    const transient = accrualAttemptFailed(foldAccrual([planned]), 'accrual', 'timeout', true, '2026-01-20T00:00:05Z');
    let s = foldAccrual([planned, ...transient]);
    expect(statusOfAccrual(s)).toBe('failed');
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'wait', until: '2026-01-20T00:00:05Z' });
    s = foldAccrual(accrualAttemptFailed(s, 'accrual', 'inactive account 22000', false), s);
    expect(s.failures).toBe(2);
    expect(statusOfAccrual(s)).toBe('needs_attention');
    expect(nextAccrualWork(s, now)).toEqual({ kind: 'none' });
  });
});
