/**
 * The poll lease through BackfillPoll: two "instances" (two BackfillPolls, each with its own connection to
 * one SQLite file and its own holder id) polling the same connection.
 */
import { randomUUID } from 'node:crypto';
import { roundOf } from '../../../../src/adapters/inbound/scheduler/poll.scheduler';
import { BackfillPoll, type PollCommandDispatch } from '../../../../src/application/inbox/backfill-poll';
import { silentLogger } from '../../../../src/application/inbox/inbox-logger';
import { PollLeases, pollLeaseStream } from '../../../../src/application/inbox/poll-lease';
import { pollWatermarkStream } from '../../../../src/application/inbox/inbox-events';
import { DEFAULT_POLL_WINDOW } from '../../../../src/application/inbox/poll-window';
import { PrometheusMetrics } from '../../../../src/adapters/metrics/prometheus-metrics';
import type { ConnectionSummary } from '../../../../src/application/ports/connections.port';
import { EventStoreUnavailableError, type EventStore } from '../../../../src/application/ports/event-store.port';
import type { ListPayrollsQuery } from '../../../../src/application/ports/gusto.port';
import type { GustoPayrollSummary } from '../../../../src/domain/payroll/gusto-payroll';
import { fixedClock, tempStore } from './fakes';

const TTL = 60_000;
const connected: ConnectionSummary = {
  id: 'conn-1',
  name: 'Demo',
  gustoCompanyUuid: 'company-1',
  gustoStatus: 'connected',
};

/** Gusto as both instances see it: one list of requests, and a gate to hold a poll mid-way. */
class SharedGusto {
  queries: Array<{ by: string; query: ListPayrollsQuery }> = [];
  gate: Promise<void> = Promise.resolve();
  as(by: string) {
    return {
      listProcessedPayrolls: async (
        _connectionId: string,
        query: ListPayrollsQuery = {},
      ): Promise<GustoPayrollSummary[]> => {
        this.queries.push({ by, query });
        await this.gate;
        return [];
      },
    };
  }
}

const bus: PollCommandDispatch = { execute: async () => undefined };

function twoInstances(ttlMs = TTL) {
  const fixture = tempStore();
  const clock = fixedClock('2026-01-24T10:00:00Z');
  const gusto = new SharedGusto();
  const instance = (holder: string, store: EventStore) => {
    const leases = new PollLeases(store, clock, { holder, ttlMs, newLeaseId: randomUUID });
    const poll = new BackfillPoll(
      store,
      { get: async () => connected, list: async () => [connected] },
      gusto.as(holder),
      bus,
      new PrometheusMetrics(),
      clock,
      silentLogger,
      DEFAULT_POLL_WINDOW,
      leases,
    );
    return { poll, leases, store };
  };
  const a = instance('host-a:1', fixture.store);
  const b = instance('host-b:2', fixture.reopen());
  const leaseEvents = async () =>
    (await fixture.store.readStream(pollLeaseStream('conn-1'))).map((e): Record<string, unknown> => ({
      type: e.type,
      ...(e.data as object),
    }));
  return { ...fixture, clock, gusto, a, b, leaseEvents };
}

const gated = (gusto: SharedGusto): (() => void) => {
  let open!: () => void;
  gusto.gate = new Promise((resolve) => (open = resolve));
  return open;
};
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('poll lease: one poll per connection across instances', () => {
  let ctx: ReturnType<typeof twoInstances>;
  afterEach(async () => ctx.cleanup());

  it('while A polls, B answers busy naming A; after A released, B polls', async () => {
    ctx = twoInstances();
    const open = gated(ctx.gusto);
    const first = ctx.a.poll.pollConnection('conn-1', 'manual');
    await settle();
    expect(await ctx.b.poll.pollConnection('conn-1', 'manual')).toMatchObject({
      status: 'busy',
      busy: 'running_elsewhere',
      heldBy: 'host-a:1',
      leaseUntil: '2026-01-24T10:01:00.000Z',
    });
    open();
    expect(await first).toMatchObject({ status: 'completed' });
    expect(await ctx.b.poll.pollConnection('conn-1', 'manual')).toMatchObject({ status: 'completed' });
    expect(ctx.gusto.queries.map((q) => q.by)).toEqual(['host-a:1', 'host-b:2']);
    expect((await ctx.leaseEvents()).map((e) => `${String(e.type)} ${String(e.holder)}`)).toEqual([
      'PollLeaseClaimed host-a:1',
      'PollLeaseReleased host-a:1',
      'PollLeaseClaimed host-b:2',
      'PollLeaseReleased host-b:2',
    ]);
  });

  it('both claiming at the same moment: exactly one polls (the append at the expected revision decides)', async () => {
    ctx = twoInstances();
    const open = gated(ctx.gusto);
    const both = Promise.all([
      ctx.a.poll.pollConnection('conn-1', 'manual'),
      ctx.b.poll.pollConnection('conn-1', 'manual'),
    ]);
    await settle();
    open();
    const statuses = (await both).map((s) => s?.status).sort();
    expect(statuses).toEqual(['busy', 'completed']);
    expect(ctx.gusto.queries).toHaveLength(1);
  });

  it('a cron round is polled once: the instance whose tick comes after the release finds the round done', async () => {
    ctx = twoInstances();
    const round = '2026-01-24T10:00:00.000Z';
    expect(await ctx.a.poll.pollAll('cron', round)).toMatchObject([{ status: 'completed' }]);
    expect(await ctx.b.poll.pollAll('cron', round)).toMatchObject([
      { status: 'busy', busy: 'round_done', heldBy: 'host-a:1' },
    ]);
    expect(await ctx.b.poll.pollAll('cron', '2026-01-24T10:15:00.000Z')).toMatchObject([{ status: 'completed' }]);
    expect(await ctx.a.poll.pollConnection('conn-1', 'manual')).toMatchObject({ status: 'completed' }); // a manual sync is not a round
    expect(ctx.gusto.queries.map((q) => q.by)).toEqual(['host-a:1', 'host-b:2', 'host-a:1']);
  });

  it("a dead holder's lease lapses after the TTL and is taken over", async () => {
    ctx = twoInstances();
    // A claims and dies (never releases).
    expect((await ctx.a.leases.claim('conn-1', 'manual')).kind).toBe('claimed');
    expect(await ctx.b.poll.pollConnection('conn-1', 'manual')).toMatchObject({
      status: 'busy',
      busy: 'running_elsewhere',
    });
    ctx.clock.advance(TTL);
    expect(await ctx.b.poll.pollConnection('conn-1', 'manual')).toMatchObject({ status: 'completed' });
    expect((await ctx.leaseEvents())[1]).toMatchObject({
      type: 'PollLeaseClaimed',
      holder: 'host-b:2',
      previousHolder: 'host-a:1',
    });
  });

  it('a long poll renews its lease; one that outlived it stops, without advancing the watermark', async () => {
    ctx = twoInstances();
    // Two windows (a long outage): the lease is checked before each.
    await ctx.store.append(
      pollWatermarkStream('conn-1'),
      [{ type: 'PollWatermarkAdvanced', data: { through: '2024-06-01' } }],
      'no_stream',
    );
    const open = gated(ctx.gusto);
    const slow = ctx.a.poll.pollConnection('conn-1', 'manual');
    await settle();
    ctx.clock.advance(TTL / 2); // half used: renewed at the next step…
    open();
    expect(await slow).toMatchObject({ status: 'completed' });
    expect((await ctx.leaseEvents()).map((e) => e.type)).toEqual([
      'PollLeaseClaimed',
      'PollLeaseRenewed',
      'PollLeaseReleased',
    ]);

    const openAgain = gated(ctx.gusto);
    const hung = ctx.a.poll.pollConnection('conn-1', 'manual');
    await settle();
    ctx.clock.advance(TTL + 1); // …but this one hangs past its lease, and B takes over meanwhile
    const takeover = ctx.b.poll.pollConnection('conn-1', 'manual');
    await settle();
    openAgain();
    expect(await hung).toMatchObject({ status: 'busy', busy: 'lease_lost' });
    expect(await takeover).toMatchObject({ status: 'completed' });
    const marks = await ctx.store.readStream(pollWatermarkStream('conn-1'));
    expect(marks.map((m) => (m.data as { through: string }).through)).toEqual(['2024-06-01', '2026-01-24']); // one advance per completed poll day, none by the hung one
    expect(ctx.gusto.queries.filter((q) => q.by === 'host-a:1').length).toBe(3); // 2 windows, then 1 before it noticed
  });

  it('a heartbeat renews the lease while one long step runs, so a slow poll keeps it past its first TTL', async () => {
    ctx = twoInstances(90); // heartbeat every 30 ms (real time); renewal due after 45 ms (test clock)
    const open = gated(ctx.gusto);
    const slow = ctx.a.poll.pollConnection('conn-1', 'manual');
    await settle();
    ctx.clock.advance(50);
    const deadline = Date.now() + 2_000;
    while (!(await ctx.leaseEvents()).some((e) => e.type === 'PollLeaseRenewed') && Date.now() < deadline)
      await settle();
    ctx.clock.advance(60); // 110 ms after the claim: lapsed but for the renewal
    expect(await ctx.b.poll.pollConnection('conn-1', 'manual')).toMatchObject({
      status: 'busy',
      busy: 'running_elsewhere',
      heldBy: 'host-a:1',
    });
    open();
    expect(await slow).toMatchObject({ status: 'completed' }); // the heartbeat and the steps renewed without tripping over each other
    const types = (await ctx.leaseEvents()).map((e) => e.type);
    expect(types[0]).toBe('PollLeaseClaimed');
    expect(types.at(-1)).toBe('PollLeaseReleased');
    expect(types.slice(1, -1).length).toBeGreaterThanOrEqual(1);
    expect(new Set(types.slice(1, -1))).toEqual(new Set(['PollLeaseRenewed']));
  });

  it('an unreachable event store: the lease cannot be claimed, nothing is asked of Gusto, the summary says where it failed', async () => {
    ctx = twoInstances();
    ctx.a.store.readLastEvent = async () => {
      throw new EventStoreUnavailableError('sqlite:test', new Error('disk gone'));
    };
    expect(await ctx.a.poll.pollConnection('conn-1', 'manual')).toMatchObject({
      status: 'failed',
      failedOn: 'event_store',
      error: expect.stringMatching(/^the poll lease could not be claimed: .*disk gone/),
    });
    expect(ctx.gusto.queries).toEqual([]);
  });

  it('the lease stream is read one event at a time, however long it grows', async () => {
    ctx = twoInstances();
    for (let i = 0; i < 30; i++) await ctx.a.poll.pollConnection('conn-1', 'manual');
    const reads: string[] = [];
    const store = ctx.a.store as EventStore;
    const readStream = store.readStream.bind(store);
    store.readStream = async (stream, from) => {
      reads.push(stream);
      return readStream(stream, from);
    };
    await ctx.a.poll.pollConnection('conn-1', 'manual');
    expect(reads.filter((s) => s === pollLeaseStream('conn-1') || s === pollWatermarkStream('conn-1'))).toEqual([]);
    expect(await ctx.store.readStream(pollLeaseStream('conn-1'))).toHaveLength(62);
  });
});

describe('roundOf: the cron round a tick serves', () => {
  it('is the whole second at or before the tick, the same on every instance whose tick is under a second late', () => {
    const scheduled = Date.parse('2026-12-04T10:00:02.000Z');
    expect(new Set([0, 3, 480, 999].map((lateMs) => roundOf(scheduled + lateMs)))).toEqual(
      new Set(['2026-12-04T10:00:02.000Z']),
    );
    expect(roundOf(scheduled + 1000)).toBe('2026-12-04T10:00:03.000Z');
  });
});
