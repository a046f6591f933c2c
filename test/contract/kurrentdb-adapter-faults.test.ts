/**
 * The KurrentDB adapter against the in-memory model of client 1.3.1 (support/kurrentdb-client-model.ts), under
 * the faults and limits found by reading the client and server sources (issue #12): dropped subscriptions,
 * refused appends reported as `success: false`, lagging followers, write contention, system events, $all
 * access, black-holed appends, failed discovery, whole-stream reads, unbounded bookkeeping streams.
 */
import { AccessDeniedError, EventData, NotLeaderError, UnavailableError } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import {
  KurrentDbEventStore,
  KurrentDbEventStoreOptions,
} from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-event-store';
import { CheckpointStore } from '../../src/application/inbox/checkpoint-store';
import {
  EventStoreUnavailableError,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../../src/application/ports/event-store.port';
import { eventually } from './event-store.contract';
import { ClientModelOptions, KurrentServerModel } from './support/kurrentdb-client-model';

const ev = (id: string, type = 'Thing') => ({ id, type, data: { id } });
const anon = (type = 'Thing') => ({ type, data: { n: 1 } });
const raw = (type: string): EventData =>
  ({ id: randomUUID(), type, data: {}, metadata: undefined, contentType: 'application/json' }) as EventData;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KurrentDB adapter under faults (model of client 1.3.1)', () => {
  let server: KurrentServerModel;
  let prefix: string;
  const stores: KurrentDbEventStore[] = [];
  const subscriptions: Subscription[] = [];

  const open = (options: KurrentDbEventStoreOptions = {}, client: ClientModelOptions = {}): KurrentDbEventStore => {
    const store = new KurrentDbEventStore('kurrentdb://model:2113?tls=false', {
      client: server.client(client),
      resubscribeDelayMs: { min: 10, max: 80 },
      ...options,
    });
    stores.push(store);
    return store;
  };
  const callsOf = (op: string) => server.calls.filter((call) => call.op === op);

  beforeEach(() => {
    server = new KurrentServerModel();
    prefix = `f${randomUUID().slice(0, 8)}-`;
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  describe('1. catch-up subscriptions survive a server restart or leader change', () => {
    it('resubscribes from the last delivered position after the stream fails: no gap, no repeat, no onError', async () => {
      const store = open();
      const seen: string[] = [];
      const errors: Error[] = [];
      let lives = 0;
      await store.append(`${prefix}s`, [ev('a'), ev('b')], 'no_stream');
      subscriptions.push(
        store.subscribeToAll((event) => void seen.push(event.id), {
          filter: { streamPrefixes: [prefix] },
          onLive: () => (lives += 1),
          onError: (error) => errors.push(error),
        }),
      );
      await eventually(() => expect(seen).toEqual(['a', 'b']));
      const b = (await store.readLastEvent(`${prefix}s`))!;

      server.dropSubscriptions(new UnavailableError(undefined));
      await store.append(`${prefix}s`, [ev('c')], 1n);
      await eventually(() => expect(seen).toEqual(['a', 'b', 'c']));
      const subscribes = callsOf('subscribeToAll');
      expect(subscribes.length).toBe(2);
      expect(subscribes[1].options?.fromPosition).toEqual({ commit: b.position, prepare: b.position });
      await sleep(100);
      expect(seen).toEqual(['a', 'b', 'c']);
      expect(errors).toEqual([]);
      expect(lives).toBe(1);
    });

    it('resubscribes when the stream just ends (the server closed it) — the frozen read model of the finding', async () => {
      const store = open();
      const seen: string[] = [];
      subscriptions.push(
        store.subscribeToAll((event) => void seen.push(event.id), { filter: { streamPrefixes: [prefix] } }),
      );
      await store.append(`${prefix}s`, [ev('a')], 'no_stream');
      await eventually(() => expect(seen).toEqual(['a']));
      server.dropSubscriptions();
      await store.append(`${prefix}s`, [ev('b')], 0n);
      await eventually(() => expect(seen).toEqual(['a', 'b']));
    });

    it('backs off while the server stays down, and picks up once it is back', async () => {
      const store = open();
      const seen: string[] = [];
      const errors: Error[] = [];
      subscriptions.push(
        store.subscribeToAll((event) => void seen.push(event.id), {
          filter: { streamPrefixes: [prefix] },
          onError: (e) => errors.push(e),
        }),
      );
      await store.append(`${prefix}s`, [ev('a')], 'no_stream');
      await eventually(() => expect(seen).toEqual(['a']));
      server.refuseSubscriptions = new UnavailableError(undefined);
      server.dropSubscriptions(new UnavailableError(undefined));
      await sleep(400);
      const attempts = callsOf('subscribeToAll').length - 1;
      // Delays 10, 20, 40, 80, 80 … ms: about 7 attempts in 400 ms; a tight loop would make thousands.
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(attempts).toBeLessThanOrEqual(12);
      server.refuseSubscriptions = undefined;
      await store.append(`${prefix}s`, [ev('b')], 0n);
      await eventually(() => expect(seen).toEqual(['a', 'b']));
      expect(errors).toEqual([]);
    });

    it('a failure that retrying cannot fix (access denied) still ends the subscription through onError', async () => {
      const store = open();
      let reported: Error | undefined;
      subscriptions.push(store.subscribeToAll(() => undefined, { onError: (error) => (reported = error) }));
      await eventually(() => expect(callsOf('subscribeToAll')).toHaveLength(1));
      server.dropSubscriptions(new AccessDeniedError(undefined));
      await eventually(() => expect(reported).toBeInstanceOf(AccessDeniedError));
      await sleep(100);
      expect(callsOf('subscribeToAll')).toHaveLength(1);
    });
  });

  describe('3. a refused append is never read as success (throwOnAppendFailure=false)', () => {
    it('own ids: a write that loses the race and comes back success:false re-plans and reports the conflict', async () => {
      const store = open({}, { throwOnAppendFailure: false });
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      server.beforeWrite = () => {
        server.beforeWrite = undefined;
        server.write(stream, [raw('Competitor')]);
      };
      const outcome = await store.append(stream, [ev('b')], 0n).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(WrongExpectedRevisionError);
      expect(outcome).toMatchObject({ expected: 0n, actual: 1n });
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Thing', 'Competitor']);
    });

    it('generated ids: success:false is a conflict with the real head, not the client garbled revision', async () => {
      const store = open({}, { throwOnAppendFailure: false });
      const stream = `${prefix}s`;
      await store.append(stream, [anon(), anon(), anon()], 'no_stream');
      const outcome = await store.append(stream, [anon()], 0n).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(WrongExpectedRevisionError);
      expect(outcome).toMatchObject({ expected: 0n, actual: 2n });
      expect(await store.readStream(stream)).toHaveLength(3);
    });
  });

  describe('4. planning reads go to the leader; retries never turn "any" into a conflict', () => {
    it('the planning read requires the leader: a lagging follower does not make an append fail', async () => {
      const store = open();
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      server.followerLag = 1;
      await expect(store.append(stream, [ev('b')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 1n });
      await expect(store.append(stream, [ev('c')], 1n)).resolves.toMatchObject({ nextExpectedRevision: 2n });
      const planning = callsOf('readStream').filter((call) => call.stream === stream);
      expect(planning.length).toBeGreaterThan(0);
      for (const call of planning) expect(call.options?.requiresLeader).toBe(true);
    });

    it('a NotLeader answer while the leader changes is retried (nothing was written), not reported', async () => {
      const store = open();
      const stream = `${prefix}s`;
      const notLeader = () =>
        new NotLeaderError({
          message: 'not leader',
          metadata: { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' },
        } as never);
      server.failNext = { error: notLeader(), times: 2 };
      await expect(store.append(stream, [ev('a')], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      server.failNext = { error: notLeader(), times: 2 };
      await expect(store.append(stream, [anon()], 0n)).resolves.toMatchObject({ nextExpectedRevision: 1n });
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('NotLeader for longer than the deadline is unavailable', async () => {
      const store = open({ deadlineMs: 200 });
      server.failAll = new NotLeaderError({
        message: 'not leader',
        metadata: { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' },
      } as never);
      await expect(store.append(`${prefix}s`, [ev('a')], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it("'any' keeps re-planning under contention (7 lost races) and succeeds", async () => {
      const store = open();
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      let competitors = 7;
      server.beforeWrite = () => {
        if (competitors-- > 0) server.write(stream, [raw('Competitor')]);
      };
      await expect(store.append(stream, [ev('mine')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 8n });
      expect((await store.readStream(stream)).filter((e) => e.id === 'mine')).toHaveLength(1);
    });

    it("'any' with generated ids is written with the server's own ANY: no read, no race", async () => {
      const store = open();
      const stream = `${prefix}s`;
      let competitors = 50;
      server.beforeWrite = () => {
        if (competitors-- > 0) server.write(stream, [raw('Competitor')]);
      };
      await expect(store.append(stream, [anon()], 'any')).resolves.toMatchObject({ nextExpectedRevision: 1n });
      expect(callsOf('appendToStream').filter((call) => call.stream === stream)).toEqual([
        expect.objectContaining({ options: expect.objectContaining({ streamState: 'any' }) }),
      ]);
      expect(callsOf('readStream').filter((call) => call.stream === stream)).toEqual([]);
    });

    it('an exact revision under the same contention is a conflict after one re-plan, not five', async () => {
      const store = open();
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      server.beforeWrite = () => server.write(stream, [raw('Competitor')]);
      await expect(store.append(stream, [ev('b')], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(callsOf('appendToStream').filter((call) => call.stream === stream)).toHaveLength(2); // the seed + one lost write
    });

    it("'any' that never wins within the deadline is reported unavailable (retry later), never a conflict", async () => {
      const store = open({ deadlineMs: 300 });
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      server.beforeWrite = () => server.write(stream, [raw('Competitor')]);
      const started = Date.now();
      const outcome = await store.append(stream, [ev('b')], 'any').catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  describe('5. headPosition and ping need no $all access and see past system events', () => {
    it('headPosition skips a tail of system events (more than a 32-event window of them)', async () => {
      const store = open();
      const written = await store.append(`${prefix}s`, [ev('a'), ev('b')], 'no_stream');
      server.write(
        '$stats-127.0.0.1:2113',
        Array.from({ length: 40 }, () => raw('$statsCollected')),
      );
      await expect(store.headPosition()).resolves.toBe(written.position);
    });

    it('ping reads a missing stream, so a user without $all read access is healthy', async () => {
      const store = open({}, { canReadAll: false });
      await expect(store.ping()).resolves.toBeUndefined();
      expect(callsOf('readAll')).toEqual([]);
      expect(callsOf('readStream')).toHaveLength(1);
    });

    it('ping still reports an unreachable server', async () => {
      const store = open({ pingTimeoutMs: 200 });
      server.failAll = new UnavailableError(undefined);
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('6. filtered reads and subscriptions never show $-typed (system) events', () => {
    it('a prefix filter or a type filter does not let $ events through', async () => {
      const store = open();
      const stream = `${prefix}s`;
      await store.append(stream, [ev('a')], 'no_stream');
      server.write(stream, [raw('$>'), raw('$metadata')]);
      await store.append(stream, [ev('b')], 'any');
      const byPrefix = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
      expect(byPrefix.map((e) => e.type)).toEqual(['Thing', 'Thing']);
      const byType = await store.readAll(undefined, {
        filter: { eventTypes: ['$>', 'Thing'], streamPrefixes: [prefix] },
      });
      expect(byType.map((e) => e.type)).toEqual(['Thing', 'Thing']);
      const delivered: RecordedEvent[] = [];
      subscriptions.push(
        store.subscribeToAll((event) => void delivered.push(event), { filter: { streamPrefixes: [prefix] } }),
      );
      await eventually(() => expect(delivered).toHaveLength(2));
      await sleep(50);
      expect(delivered.map((e) => e.type)).toEqual(['Thing', 'Thing']);
    });
  });

  describe('7. appends have a deadline; failed discovery reads as unavailable', () => {
    it('a black-holed append fails as unavailable within the deadline', async () => {
      const store = open({ deadlineMs: 200 });
      server.blackHoleAppends = true;
      const started = Date.now();
      const outcome = await Promise.race([
        store.append(`${prefix}s`, [anon()], 'any').catch((error: unknown) => error),
        sleep(3000).then(() => 'hung'),
      ]);
      expect(outcome).toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('"Failed to discover after N attempts." (+discover) maps to EventStoreUnavailableError everywhere', async () => {
      const store = open();
      server.failAll = new Error('Failed to discover after 10 attempts.');
      await expect(store.append(`${prefix}s`, [anon()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(`${prefix}s`, [ev('x')], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream(`${prefix}s`)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('8. appends and checkpoint reads read the tail only; bookkeeping streams are bounded', () => {
    it('an append to a long stream reads at most one event (generated ids) or a bounded tail (own ids)', async () => {
      const store = open();
      const stream = `${prefix}long`;
      for (let i = 0; i < 10; i += 1)
        await store.append(
          stream,
          Array.from({ length: 30 }, (_, j) => ev(`e${i}-${j}`)),
          'any',
        );
      server.eventsRead.clear();
      await store.append(stream, [anon()], 'any');
      expect(server.eventsRead.get(stream) ?? 0).toBeLessThanOrEqual(1);
      server.eventsRead.clear();
      await store.append(stream, [ev('fresh')], 300n);
      expect(server.eventsRead.get(stream) ?? 0).toBeLessThanOrEqual(1 + 64);
      // A repeat at the tail is still recognised from the tail alone.
      server.eventsRead.clear();
      await expect(store.append(stream, [ev('fresh')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 301n });
      expect(server.eventsRead.get(stream) ?? 0).toBeLessThanOrEqual(1);
      expect(await store.readStream(stream)).toHaveLength(302);
    });

    it('CheckpointStore.load reads one event whatever the checkpoint stream length', async () => {
      const store = open({ boundedStreams: {} }); // unbounded here, to show the read itself is bounded
      const clock = { now: () => new Date('2026-12-04T00:00:00Z') };
      const writer = new CheckpointStore(store, `checkpoint-${prefix}`, clock);
      for (let position = 1n; position <= 40n; position += 1n) await writer.save(position * 10n);
      server.eventsRead.clear();
      await expect(new CheckpointStore(store, `checkpoint-${prefix}`, clock).load()).resolves.toBe(400n);
      expect(server.eventsRead.get(`checkpoint-${prefix}`)).toBe(1);
    });

    it('bookkeeping streams get $maxCount metadata once per stream; other streams get none', async () => {
      const store = open();
      const bounded = [
        `checkpoint-${prefix}`,
        `poll-lease-${prefix}`,
        `poll-watermark-${prefix}`,
        `acumatica-licence-${prefix}`,
      ];
      for (const stream of bounded) {
        await store.append(stream, [anon()], 'any');
        await store.append(stream, [anon()], 'any');
      }
      await store.append(`payroll-posting-${prefix}`, [anon()], 'any');
      expect(
        Object.fromEntries(
          bounded.map((stream) => [stream.slice(0, -prefix.length), server.metadata.get(stream)?.maxCount]),
        ),
      ).toEqual({
        'checkpoint-': 16,
        'poll-lease-': 64,
        'poll-watermark-': 16,
        'acumatica-licence-': 4096,
      });
      expect(server.metadata.has(`payroll-posting-${prefix}`)).toBe(false);
      expect(callsOf('setStreamMetadata')).toHaveLength(4);
      for (let i = 0; i < 30; i += 1) await store.append(`checkpoint-${prefix}`, [anon()], 'any');
      expect(await store.readStream(`checkpoint-${prefix}`)).toHaveLength(16);
      expect((await store.readLastEvent(`checkpoint-${prefix}`))?.revision).toBe(31n);
    });

    it('a failure to set the metadata does not fail the append, and is tried again next time', async () => {
      const stream = `checkpoint-${prefix}`;
      const client = server.client();
      const original = client.setStreamMetadata.bind(client);
      let failures = 1;
      const spied = server.client();
      (spied as unknown as { setStreamMetadata: typeof original }).setStreamMetadata = async (
        ...args: Parameters<typeof original>
      ) => {
        if (failures-- > 0) throw new UnavailableError(undefined);
        return original(...args);
      };
      const flaky = open({ client: spied });
      await expect(flaky.append(stream, [anon()], 'any')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(server.metadata.has(stream)).toBe(false);
      await flaky.append(stream, [anon()], 'any');
      expect(server.metadata.get(stream)?.maxCount).toBe(16);
    });
  });
});
