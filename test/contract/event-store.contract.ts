/**
 * The one contract both event-store adapters must honour. Each case uses its own stream-name prefix, so the
 * suite also runs against a shared, non-empty server (KurrentDB) where other cases' events are present.
 */
import { randomUUID } from 'node:crypto';
import {
  EventStore,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../../src/application/ports/event-store.port';

export interface EventStoreUnderTest {
  store: EventStore;
  /** A second, independent connection to the same store (another client, another SQLite connection). */
  connectAgain(): Promise<EventStore>;
}

export type EventStoreFactory = () => Promise<EventStoreUnderTest>;

/** Polls until `check` passes or `timeoutMs` elapses (then rethrows its last failure). */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function conflictOf(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    return error as WrongExpectedRevisionError;
  }
  throw new Error('expected a WrongExpectedRevisionError, but the append succeeded');
}

const ev = (id: string, type = 'Thing', data: unknown = { id }) => ({ id, type, data });

export function runEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(name, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    let prefix: string;
    const opened: EventStore[] = [];
    const subscriptions: Subscription[] = [];

    const connectAgain = async (): Promise<EventStore> => {
      const other = await subject.connectAgain();
      opened.push(other);
      return other;
    };

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      opened.push(store);
      prefix = `c${randomUUID().slice(0, 8)}-`;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await Promise.all(opened.splice(0).map((each) => each.close()));
    });

    it('appends a batch and reads it back in order, with revisions, positions and recordedAt', async () => {
      const stream = `${prefix}order`;
      const result = await store.append(
        stream,
        [ev('a'), ev('b', 'Other', [1, 'two', null]), ev('c', 'Thing', 'text')],
        'no_stream',
      );
      const read = await store.readStream(stream);

      expect(read.map((e) => [e.id, e.type, e.data, e.stream, e.revision])).toEqual([
        ['a', 'Thing', { id: 'a' }, stream, 0n],
        ['b', 'Other', [1, 'two', null], stream, 1n],
        ['c', 'Thing', 'text', stream, 2n],
      ]);
      expect(read[0].position < read[1].position && read[1].position < read[2].position).toBe(true);
      expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2].position });
      for (const event of read) expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      expect((await store.readStream(stream, 1n)).map((e) => e.id)).toEqual(['b', 'c']);
      expect(await store.readStream(`${prefix}missing`)).toEqual([]);
    });

    it("'no_stream' succeeds on a new stream and conflicts on an existing one", async () => {
      const stream = `${prefix}ns`;
      await expect(store.append(stream, [ev('a')], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      const conflict = await conflictOf(store.append(stream, [ev('b')], 'no_stream'));
      expect(conflict).toMatchObject({ stream, expected: 'no_stream', actual: 0n, code: 'wrong_expected_revision' });
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it("'stream_exists' conflicts on a missing stream and succeeds on an existing one", async () => {
      const stream = `${prefix}se`;
      const conflict = await conflictOf(store.append(stream, [ev('a')], 'stream_exists'));
      expect(conflict).toMatchObject({ stream, expected: 'stream_exists', actual: 'no_stream' });
      await store.append(stream, [ev('a')], 'no_stream');
      await expect(store.append(stream, [ev('b')], 'stream_exists')).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
    });

    it("'any' succeeds whether or not the stream exists", async () => {
      const stream = `${prefix}any`;
      await expect(store.append(stream, [ev('a')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(store.append(stream, [ev('b'), ev('c')], 'any')).resolves.toMatchObject({
        nextExpectedRevision: 2n,
      });
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    });

    it('an exact revision (number or bigint) succeeds when right and conflicts when wrong', async () => {
      const stream = `${prefix}rev`;
      expect((await conflictOf(store.append(stream, [ev('x')], 0))).actual).toBe('no_stream');
      await store.append(stream, [ev('a')], 'no_stream');
      await expect(store.append(stream, [ev('b')], 0)).resolves.toMatchObject({ nextExpectedRevision: 1n });
      await expect(store.append(stream, [ev('c')], 1n)).resolves.toMatchObject({ nextExpectedRevision: 2n });
      const stale = await conflictOf(store.append(stream, [ev('d')], 1n));
      expect(stale).toMatchObject({ expected: 1n, actual: 2n });
      expect((await conflictOf(store.append(stream, [ev('e')], 7))).actual).toBe(2n);
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    });

    it('two connections appending with the same expected revision: exactly one wins each round', async () => {
      const stream = `${prefix}race`;
      const other = await connectAgain();
      await store.append(stream, [ev('seed')], 'no_stream');
      for (let round = 0; round < 5; round += 1) {
        const expected = BigInt(round);
        const outcomes = await Promise.allSettled([
          store.append(stream, [ev(`left-${round}`)], expected),
          other.append(stream, [ev(`right-${round}`)], expected),
        ]);
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    });

    it('readLastEvent: undefined for a missing stream, else the event at the highest revision, as readStream returns it', async () => {
      const stream = `${prefix}last`;
      expect(await store.readLastEvent(stream)).toBeUndefined();
      await store.append(stream, [ev('a')], 'no_stream');
      expect((await store.readLastEvent(stream))?.id).toBe('a');
      await store.append(stream, [ev('b'), ev('c', 'Other', { n: 3 })], 0n);
      await store.append(`${prefix}last-other`, [ev('z')], 'no_stream'); // a later event elsewhere changes nothing
      const last = await store.readLastEvent(stream);
      const all = await store.readStream(stream);
      expect(last).toEqual(all[all.length - 1]);
      expect([last?.id, last?.type, last?.data, last?.revision]).toEqual(['c', 'Other', { n: 3 }, 2n]);
      // What an optimistic writer needs: the last revision, then an append expecting exactly it.
      const other = await connectAgain();
      await other.append(stream, [ev('d')], (await other.readLastEvent(stream))!.revision);
      expect((await store.readLastEvent(stream))?.id).toBe('d');
    });

    it('re-appending the same ids stores them once and succeeds whatever expected says', async () => {
      const stream = `${prefix}idem`;
      const first = await store.append(stream, [ev('a'), ev('b')], 'no_stream');
      // A retry after a crash: the first attempt landed, the retry must not fail or duplicate.
      await expect(store.append(stream, [ev('a'), ev('b')], 'no_stream')).resolves.toEqual(first);
      await expect(store.append(stream, [ev('a'), ev('b')], 'any')).resolves.toEqual(first);
      await expect(store.append(stream, [ev('a'), ev('b')], 41)).resolves.toEqual(first);
      // Some ids new: the known one is skipped, expected is checked, the rest is written.
      const partial = await store.append(stream, [ev('b'), ev('c')], 1n);
      expect(partial.nextExpectedRevision).toBe(2n);
      // All known but not as one earlier append (reordered): not a repeat, a conflict.
      await conflictOf(store.append(stream, [ev('b'), ev('a')], 'any'));
      const read = await store.readStream(stream);
      expect(read.map((e) => [e.id, e.revision])).toEqual([
        ['a', 0n],
        ['b', 1n],
        ['c', 2n],
      ]);
      const inAll = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
      expect(inAll).toHaveLength(3);
    });

    it('a retry racing its original on another connection: both succeed, stored once', async () => {
      const stream = `${prefix}idem-race`;
      const other = await connectAgain();
      const batch = [ev('posting-1-requested', 'PostingRequested'), ev('posting-1-built', 'JournalBuilt')];
      const outcomes = await Promise.all([
        store.append(stream, batch, 'no_stream'),
        other.append(stream, batch, 'no_stream'),
      ]);
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual(['posting-1-requested', 'posting-1-built']);
    });

    it("'any' appends with their own ids from two connections at once: every one lands exactly once, none conflicts", async () => {
      const stream = `${prefix}any-race`;
      const other = await connectAgain();
      const appends = Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? store : other).append(stream, [ev(`w-${i}`)], 'any'),
      );
      const outcomes = await Promise.allSettled(appends);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const ids = (await store.readStream(stream)).map((e) => e.id);
      expect([...ids].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `w-${i}`).sort());
    });

    it('readAll returns all streams in one global order and filters by stream prefix and event type', async () => {
      const a = `${prefix}alpha-1`;
      const b = `${prefix}beta-1`;
      await store.append(a, [ev('a1', 'Created')], 'no_stream');
      await store.append(b, [ev('b1', 'Created')], 'no_stream');
      await store.append(a, [ev('a2', 'Updated')], 0n);
      await store.append(b, [ev('b2', 'Updated'), ev('b3', 'Deleted')], 0n);

      const all = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
      expect(all.map((e) => e.id)).toEqual(['a1', 'b1', 'a2', 'b2', 'b3']);
      for (let i = 1; i < all.length; i += 1) expect(all[i].position > all[i - 1].position).toBe(true);

      const alpha = await store.readAll(undefined, { filter: { streamPrefixes: [`${prefix}alpha`] } });
      expect(alpha.map((e) => e.id)).toEqual(['a1', 'a2']);
      const twoPrefixes = await store.readAll(undefined, {
        filter: { streamPrefixes: [`${prefix}alpha`, `${prefix}beta`] },
      });
      expect(twoPrefixes.map((e) => e.id)).toEqual(['a1', 'b1', 'a2', 'b2', 'b3']);
      const updated = await store.readAll(undefined, {
        filter: { streamPrefixes: [prefix], eventTypes: ['Updated', 'Deleted'] },
      });
      expect(updated.map((e) => e.id)).toEqual(['a2', 'b2', 'b3']);
      const firstTwo = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] }, maxCount: 2 });
      expect(firstTwo.map((e) => e.id)).toEqual(['a1', 'b1']);
      // Prefixes are case-sensitive and literal (no wildcards).
      expect(await store.readAll(undefined, { filter: { streamPrefixes: [prefix.toUpperCase() + 'ALPHA'] } })).toEqual(
        [],
      );
      expect(await store.readAll(undefined, { filter: { streamPrefixes: [`${prefix}%`] } })).toEqual([]);
    });

    it('readAll from a position is exclusive and picks up exactly where a previous read stopped', async () => {
      const stream = `${prefix}paged`;
      await store.append(stream, [ev('e1'), ev('e2'), ev('e3'), ev('e4'), ev('e5')], 'no_stream');
      const filter = { streamPrefixes: [prefix] };
      const page1 = await store.readAll(undefined, { filter, maxCount: 2 });
      const page2 = await store.readAll(page1[1].position, { filter, maxCount: 2 });
      const page3 = await store.readAll(page2[1].position, { filter });
      expect([...page1, ...page2, ...page3].map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
      expect(await store.readAll(page3[0].position, { filter })).toEqual([]);
    });

    it('headPosition is the last event written; a filtered reader may advance to it and miss nothing', async () => {
      const first = await store.append(`${prefix}wanted`, [ev('w1')], 'no_stream');
      const other = await store.append(`${prefix}other`, [ev('o1'), ev('o2')], 'no_stream');
      expect(other.position).toBeGreaterThan(first.position);
      const head = await store.headPosition();
      expect(head).toBe(other.position);
      const filter = { streamPrefixes: [`${prefix}wanted`] };
      expect((await store.readAll(undefined, { filter })).map((e) => e.id)).toEqual(['w1']);
      // The checkpoint moves to the head (past o1, o2) and the next matching event is still found.
      await store.append(`${prefix}wanted`, [ev('w2')], 0);
      expect((await store.readAll(head, { filter })).map((e) => e.id)).toEqual(['w2']);
    });

    it('a subscription from a checkpoint catches up without gap or repeat, turns live, then delivers new appends', async () => {
      const stream = `${prefix}sub`;
      const other = await connectAgain();
      await store.append(stream, [ev('s1'), ev('s2'), ev('s3')], 'no_stream');
      const [first] = await store.readStream(stream);
      const seen: RecordedEvent[] = [];
      let live = false;
      let deliveredWhenLive = -1;
      subscriptions.push(
        store.subscribeToAll(
          async (event) => {
            await new Promise((resolve) => setTimeout(resolve, 2)); // the handler is awaited: no overlap
            seen.push(event);
          },
          {
            fromPosition: first.position,
            filter: { streamPrefixes: [prefix] },
            onLive: () => {
              live = true;
              deliveredWhenLive = seen.length;
            },
          },
        ),
      );
      await eventually(() => expect(live).toBe(true));
      expect(deliveredWhenLive).toBe(2);
      await store.append(stream, [ev('s4')], 2n);
      await other.append(stream, [ev('s5')], 3n);
      await store.append(`z${prefix}noise`, [ev('noise')], 'any'); // outside the filter: never delivered
      await eventually(() => expect(seen.map((e) => e.id)).toEqual(['s2', 's3', 's4', 's5']));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen.map((e) => e.id)).toEqual(['s2', 's3', 's4', 's5']);
      for (let i = 1; i < seen.length; i += 1) expect(seen[i].position > seen[i - 1].position).toBe(true);
    });

    it('after stop() nothing more is delivered, and a new subscription resumes from the stored checkpoint', async () => {
      const stream = `${prefix}resume`;
      const filter = { streamPrefixes: [prefix] };
      await store.append(stream, [ev('r1'), ev('r2')], 'no_stream');
      const firstRun: RecordedEvent[] = [];
      const sub = store.subscribeToAll((event) => void firstRun.push(event), { filter });
      subscriptions.push(sub);
      await eventually(() => expect(firstRun.map((e) => e.id)).toEqual(['r1', 'r2']));
      await sub.stop();
      const checkpoint = firstRun[firstRun.length - 1].position;
      await store.append(stream, [ev('r3'), ev('r4')], 1n);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(firstRun.map((e) => e.id)).toEqual(['r1', 'r2']);

      const secondRun: string[] = [];
      subscriptions.push(
        store.subscribeToAll((event) => void secondRun.push(event.id), { filter, fromPosition: checkpoint }),
      );
      await eventually(() => expect(secondRun).toEqual(['r3', 'r4']));
    });

    it('a handler that throws stops the subscription and reports through onError', async () => {
      const stream = `${prefix}boom`;
      await store.append(stream, [ev('ok'), ev('bad'), ev('never')], 'no_stream');
      const handled: string[] = [];
      let reported: Error | undefined;
      subscriptions.push(
        store.subscribeToAll(
          (event) => {
            if (event.id === 'bad') throw new Error('handler failed');
            handled.push(event.id);
          },
          { filter: { streamPrefixes: [prefix] }, onError: (error) => (reported = error) },
        ),
      );
      await eventually(() => expect(reported?.message).toContain('handler failed'));
      await store.append(stream, [ev('later')], 'any');
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(handled).toEqual(['ok']);
    });

    it('readLastEvents returns only the tail of a stream, oldest first; empty for a missing stream', async () => {
      const stream = `${prefix}tail`;
      await store.append(
        stream,
        ['a', 'b', 'c', 'd', 'e'].map((id) => ev(id)),
        'no_stream',
      );
      await store.append(`${prefix}other`, [ev('x')], 'no_stream');
      const last = await store.readLastEvents(stream, 2);
      expect(last.map((e) => [e.id, e.revision])).toEqual([
        ['d', 3n],
        ['e', 4n],
      ]);
      expect(last.every((e) => e.stream === stream)).toBe(true);
      expect((await store.readLastEvents(stream, 10)).map((e) => e.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.readLastEvents(stream, 0)).toEqual([]);
      expect(await store.readLastEvents(`${prefix}missing`, 3)).toEqual([]);
    });

    it('a 1 MiB event round-trips intact', async () => {
      const stream = `${prefix}big`;
      const envelope = JSON.stringify({ blob: '' }).length;
      const blob = Array.from({ length: 1024 * 1024 - envelope }, (_, i) => String.fromCharCode(97 + (i % 26))).join(
        '',
      );
      expect(Buffer.byteLength(JSON.stringify({ blob }))).toBe(1024 * 1024);
      await store.append(stream, [ev('big', 'Big', { blob })], 'no_stream');
      const [read] = await store.readStream(stream);
      expect((read.data as { blob: string }).blob === blob).toBe(true);
    });

    it('unicode (emoji, CJK, RTL, combining marks) survives in stream names, types and data', async () => {
      const stream = `${prefix}payroll-💸-給与-راتب-é`;
      const data = {
        name: 'Zoë 🧾 山田太郎 محمد',
        note: '\u200f right-to-left \u05e9\u05dc\u05d5\u05dd',
        astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      };
      await store.append(stream, [ev('ü-1', 'Gehälter✓', data)], 'no_stream');
      const [read] = await store.readStream(stream);
      expect(read).toMatchObject({ id: 'ü-1', stream, type: 'Gehälter✓', data });
      const viaAll = await store.readAll(undefined, { filter: { streamPrefixes: [`${prefix}payroll-💸`] } });
      expect(viaAll.map((e) => e.stream)).toEqual([stream]);
    });

    it('metadata round-trips (correlationId, causationId, actor, at, and extra keys)', async () => {
      const stream = `${prefix}meta`;
      const metadata = {
        correlationId: randomUUID(),
        causationId: 'gusto-webhook-123',
        actor: 'operator',
        at: '2026-11-26T10:00:00.000Z',
        extra: { nested: [1, 2] },
      };
      await store.append(
        stream,
        [
          { id: 'm1', type: 'Noted', data: {}, metadata },
          { id: 'm2', type: 'Noted', data: {} },
        ],
        'no_stream',
      );
      const [withMeta, withoutMeta] = await store.readStream(stream);
      expect(withMeta.metadata).toEqual(metadata);
      expect(withoutMeta.metadata).toEqual({});
      const [viaAll] = await store.readAll(undefined, { filter: { streamPrefixes: [prefix] } });
      expect(viaAll.metadata).toEqual(metadata);
    });

    it('rejects appends no store could honour: empty batch, an id twice, a negative revision, a $ stream', async () => {
      await expect(store.append(`${prefix}bad`, [], 'any')).rejects.toThrow(TypeError);
      await expect(store.append(`${prefix}bad`, [ev('x'), ev('x')], 'any')).rejects.toThrow(/twice/);
      await expect(store.append(`${prefix}bad`, [ev('x')], -1)).rejects.toThrow(RangeError);
      await expect(store.append(`$${prefix}system`, [ev('x')], 'any')).rejects.toThrow(/reserved/);
      expect(await store.readStream(`${prefix}bad`)).toEqual([]);
    });

    it('ping() resolves and description names the store without credentials', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(store.description.length).toBeGreaterThan(0);
      expect(store.description).not.toMatch(/@|password|changeit/i);
    });
  });
}
