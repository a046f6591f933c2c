import { BackfillPoll, type PollCommandDispatch } from '../../../../src/application/inbox/backfill-poll';
import { pollWatermarkStream } from '../../../../src/application/inbox/inbox-events';
import { silentLogger } from '../../../../src/application/inbox/inbox-logger';
import { pollWindows } from '../../../../src/application/inbox/poll-window';
import { PrometheusMetrics } from '../../../../src/adapters/metrics/prometheus-metrics';
import type { ConnectionSummary } from '../../../../src/application/ports/connections.port';
import type { ListPayrollsQuery } from '../../../../src/application/ports/gusto.port';
import { RequestPostingCommand } from '../../../../src/application/payroll-posting/commands';
import { SyncAllEmployeesCommand } from '../../../../src/application/employee-mirror/commands';
import type { GustoPayrollSummary } from '../../../../src/domain/payroll/gusto-payroll';
import { fixedClock, tempStore } from './fakes';

const payroll = (uuid: string, extra: Partial<GustoPayrollSummary> = {}): GustoPayrollSummary => ({
  uuid,
  payroll_uuid: uuid,
  company_uuid: 'company-1',
  check_date: '2026-01-23',
  processed: true,
  off_cycle: false,
  ...extra,
});

class FakeGusto {
  payrolls: GustoPayrollSummary[] = [];
  queries: ListPayrollsQuery[] = [];
  gate: Promise<void> = Promise.resolve();
  async listProcessedPayrolls(_connectionId: string, query?: ListPayrollsQuery): Promise<GustoPayrollSummary[]> {
    this.queries.push(query ?? {});
    await this.gate;
    return this.payrolls;
  }
}

class Bus implements PollCommandDispatch {
  executed: Array<RequestPostingCommand | SyncAllEmployeesCommand> = [];
  async execute(command: RequestPostingCommand | SyncAllEmployeesCommand): Promise<unknown> {
    this.executed.push(command);
    return undefined;
  }
}

const connected: ConnectionSummary = {
  id: 'conn-1',
  name: 'Demo',
  gustoCompanyUuid: 'company-1',
  gustoStatus: 'connected',
};

function setup(connections: ConnectionSummary[] = [connected]) {
  const fixture = tempStore();
  const gusto = new FakeGusto();
  const bus = new Bus();
  const clock = fixedClock('2026-01-24T10:00:00Z');
  const poll = new BackfillPoll(
    fixture.store,
    { get: async (id) => connections.find((c) => c.id === id) ?? null, list: async () => connections },
    gusto,
    bus,
    new PrometheusMetrics(),
    clock,
    silentLogger,
  );
  return { ...fixture, gusto, bus, clock, poll };
}

describe('pollWindows', () => {
  const now = new Date('2026-01-24T10:00:00Z');
  it('looks back a month on the first poll and ahead 89 days', () => {
    expect(pollWindows(now, undefined)).toEqual([{ startDate: '2025-12-24', endDate: '2026-04-23' }]);
  });
  it('overlaps the watermark by 31 days', () => {
    expect(pollWindows(now, '2026-01-20')).toEqual([{ startDate: '2025-12-20', endDate: '2026-04-23' }]);
  });
  it('splits a long outage into windows of at most a year (Gusto refuses longer ranges)', () => {
    const windows = pollWindows(now, '2024-06-01');
    expect(windows.length).toBe(2);
    expect(windows[0].startDate).toBe('2024-05-01');
    expect(windows[windows.length - 1].endDate).toBe('2026-04-23');
    for (const w of windows)
      expect((Date.parse(w.endDate) - Date.parse(w.startDate)) / 86_400_000).toBeLessThanOrEqual(364);
    for (let i = 1; i < windows.length; i++)
      expect(Date.parse(windows[i].startDate) - Date.parse(windows[i - 1].endDate)).toBe(86_400_000);
  });
});

describe('BackfillPoll', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(async () => ctx.cleanup());

  it('requests a posting for regular and off-cycle payrolls without one, skips external and already-known ones, then syncs employees', async () => {
    ctx = setup();
    ctx.gusto.payrolls = [
      payroll('regular-1'),
      payroll('bonus-1', { off_cycle: true, off_cycle_reason: 'Bonus' }),
      payroll('imported-1', { external: true }),
      payroll('posted-1'),
    ];
    await ctx.store.append('payroll-posting-conn-1-posted-1', [{ type: 'PostingRequested', data: {} }], 'no_stream');
    const summary = await ctx.poll.pollConnection('conn-1', 'manual');
    expect(summary).toMatchObject({
      status: 'completed',
      payrollsSeen: 4,
      externalSkipped: 1,
      alreadyKnown: 1,
      requested: ['regular-1', 'bonus-1'],
      employees: 'requested',
    });
    const postings = ctx.bus.executed.filter((c): c is RequestPostingCommand => c instanceof RequestPostingCommand);
    expect(postings.map((c) => [c.connectionId, c.payrollUuid, c.trigger])).toEqual([
      ['conn-1', 'regular-1', 'poll'],
      ['conn-1', 'bonus-1', 'poll'],
    ]);
    expect(ctx.bus.executed[ctx.bus.executed.length - 1]).toEqual(
      new SyncAllEmployeesCommand('conn-1', 'poll', postings[0].correlationId),
    );
  });

  it('stores a watermark and lists from it (minus the overlap) next time', async () => {
    ctx = setup();
    await ctx.poll.pollConnection('conn-1', 'cron');
    expect(ctx.gusto.queries[0]).toEqual({ startDate: '2025-12-24', endDate: '2026-04-23' });
    const [mark] = await ctx.store.readStream(pollWatermarkStream('conn-1'));
    expect(mark.data).toMatchObject({ through: '2026-01-24', trigger: 'cron' });
    ctx.clock.current = new Date('2026-03-01T00:00:00Z');
    await ctx.poll.pollConnection('conn-1', 'cron');
    expect(ctx.gusto.queries[1]).toEqual({ startDate: '2025-12-24', endDate: '2026-05-29' });
  });

  it('keeps the watermark when listing fails, so the next poll covers the same ground, and still syncs employees', async () => {
    ctx = setup();
    ctx.gusto.listProcessedPayrolls = async () => {
      throw new Error('Gusto unavailable');
    };
    expect(await ctx.poll.pollConnection('conn-1', 'cron')).toMatchObject({
      status: 'failed',
      error: 'Gusto unavailable',
      employees: 'requested',
    });
    expect(await ctx.store.readStream(pollWatermarkStream('conn-1'))).toHaveLength(0);
    expect(ctx.bus.executed.filter((c) => c instanceof SyncAllEmployeesCommand)).toHaveLength(1);
  });

  it('runs one poll per connection at a time', async () => {
    ctx = setup();
    let open!: () => void;
    ctx.gusto.gate = new Promise((resolve) => (open = resolve));
    ctx.gusto.payrolls = [payroll('regular-1')];
    const first = ctx.poll.pollConnection('conn-1', 'cron');
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.poll.isRunning('conn-1')).toBe(true);
    expect(await ctx.poll.pollConnection('conn-1', 'manual')).toMatchObject({ status: 'busy' });
    open();
    expect(await first).toMatchObject({ status: 'completed', requested: ['regular-1'] });
    expect(ctx.gusto.queries).toHaveLength(1);
  });

  it('skips connections not authorized with Gusto and answers null for an unknown one', async () => {
    ctx = setup([connected, { id: 'conn-2', name: 'Later', gustoStatus: 'not_connected' }]);
    expect(await ctx.poll.pollConnection('conn-2', 'manual')).toMatchObject({ status: 'skipped' });
    expect(await ctx.poll.pollConnection('nope', 'manual')).toBeNull();
    const all = await ctx.poll.pollAll('cron');
    expect(all.map((s) => s.connectionId)).toEqual(['conn-1']);
  });
});
