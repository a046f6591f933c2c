/**
 * The accrual process when the payroll is cancelled while its accrual create is in flight: what Acumatica
 * created is still recorded (the stream moved meanwhile), then voided; the reversal is only looked up, never
 * created. In-memory store and Acumatica fake; the process's own code, no mocks of our ports.
 */
import { AccrualProcess } from '../../../../src/application/payroll-accrual/accrual-process';
import type { AcumaticaApi } from '../../../../src/application/ports/acumatica.port';
import { systemClock } from '../../../../src/application/ports/clock.port';
import { foldAccrual, statusOfAccrual } from '../../../../src/domain/payroll-accrual/state';
import { accrualStream, type PayrollAccrualEvent } from '../../../../src/domain/payroll-accrual/events';
import type { Journal } from '../../../../src/domain/journal';
import { eventually } from '../payroll-posting/harness';
import { FakeAcumatica, MemoryEventStore, postingConnections } from '../payroll-posting/fakes';

const journal = (tag: string, date: string): Journal => ({
  tag,
  payrollUuid: 'p1',
  kind: 'accrual',
  header: { transactionDate: date, description: `Accrual [${tag}]`, release: false },
  lines: [
    { account: '60000', side: 'debit', amount: '10.00', memo: 'earnings', mappingKey: 'earnings' },
    { account: '22000', side: 'credit', amount: '10.00', memo: 'accrued', mappingKey: 'accruedPayroll' },
  ],
  totals: { debit: '10.00', credit: '10.00' },
  mappingVersion: 1,
  warnings: [],
});

describe('accrual process: cancelled while the accrual create is in flight', () => {
  it('records the created accrual, voids it, and settles the reversal without creating it', async () => {
    const store = new MemoryEventStore();
    const acumatica = new FakeAcumatica();
    const process = new AccrualProcess(store, acumatica as unknown as AcumaticaApi, postingConnections(), systemClock, {
      retry: { baseMs: 1, capMs: 5, maxAttempts: 5 },
      queueLimitMs: 60_000,
    });
    const stream = accrualStream('conn-1', 'p1', '2025-12');
    const planned: PayrollAccrualEvent = {
      type: 'AccrualPlanned',
      data: {
        connectionId: 'conn-1',
        payrollUuid: 'p1',
        month: '2025-12',
        days: 4,
        periodDays: 14,
        accrual: journal('gusto-accrual:p1:2025-12', '2025-12-31'),
        reversal: journal('gusto-accrual-reversal:p1:2025-12', '2026-01-01'),
      },
    };
    await store.append(stream, [{ type: planned.type, data: planned.data }], 'no_stream');

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let creates = 0;
    acumatica.beforeCreate = async () => {
      if (++creates === 1) await held; // the accrual's create sits in Acumatica's queue
    };
    process.resume(stream);
    await eventually(() => expect(creates).toBe(1));
    // The payroll is cancelled meanwhile (what the process appends on PayrollReversed).
    const before = await store.readStream(stream);
    await store.append(
      stream,
      [{ type: 'AccrualCancelled', data: { connectionId: 'conn-1', reason: 'the payroll was cancelled in Gusto' } }],
      before.at(-1)!.revision,
    );
    release();

    await eventually(async () => {
      const s = foldAccrual((await store.readStream(stream)) as unknown as PayrollAccrualEvent[]);
      expect(statusOfAccrual(s)).toBe('cancelled');
    });
    await process.idle();
    const s = foldAccrual((await store.readStream(stream)) as unknown as PayrollAccrualEvent[]);
    expect(s.accrual.batchNbr).toBe('000001');
    expect(s.reversal.skipped?.code).toBe('payroll_cancelled');
    expect(s.accrualVoid.batchNbr).toBe('000002');
    expect(acumatica.journals.map((j) => j.journal.tag)).toEqual([
      'gusto-accrual:p1:2025-12',
      'gusto-accrual-void:p1:2025-12',
    ]);
    expect(acumatica.journals[1]!.journal.header.transactionDate).toBe('2025-12-31');
    await process.onApplicationShutdown();
  });
});
