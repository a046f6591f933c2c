/**
 * The one command handler (load → decide → append at the loaded revision with name-based ids → bounded retry →
 * typed conflict), over the unit tests' in-memory store, which keeps the adapters' append rule (contract suite).
 */
import { CommandHandler, RETRY, type Aggregate } from '../../../../src/application/shared/command-handler';
import { accept, refuse, type Decision } from '../../../../src/domain/shared/decision';
import { MemoryEventStore } from '../payroll-posting/fakes';

type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'Closed'; data: Record<string, never> };
interface Counter {
  total: number;
  closed: boolean;
}
const counter: Aggregate<Counter, CounterEvent> = {
  initial: { total: 0, closed: false },
  evolve: (s, e) => (e.type === 'Added' ? { ...s, total: s.total + e.data.by } : { ...s, closed: true }),
  toEvent: (r) =>
    r.type === 'Added' || r.type === 'Closed' ? ({ type: r.type, data: r.data } as CounterEvent) : undefined,
};
const add =
  (by: number) =>
  (s: Counter): Decision<CounterEvent, 'counter_closed'> =>
    s.closed ? refuse('counter_closed', 'the counter is closed') : accept({ type: 'Added', data: { by } });
const META = { actor: 'test', at: '2026-03-01T10:00:00.000Z' };

describe('CommandHandler', () => {
  it('appends at the loaded revision and answers the state folded from the events it wrote, without a re-read', async () => {
    const store = new MemoryEventStore();
    const handler = new CommandHandler(store, counter, { maxAttempts: 3 });
    await handler.handle('counter-1', add(2), META);
    const reads = jest.spyOn(store, 'readStream');
    const out = await handler.handle('counter-1', add(3), META);
    expect(out).toMatchObject({
      ok: true,
      state: { total: 5 },
      revision: 1n,
      events: [{ type: 'Added', data: { by: 3 } }],
    });
    expect(reads).toHaveBeenCalledTimes(1); // the load; nothing after the append
    expect(store.types('counter-1')).toEqual(['Added', 'Added']);
  });

  it('a decider refusal is answered as it is, with nothing written', async () => {
    const store = new MemoryEventStore();
    await store.append('counter-1', [{ type: 'Closed', data: {} }], 'no_stream');
    const out = await new CommandHandler(store, counter, { maxAttempts: 3 }).handle('counter-1', add(1), META);
    expect(out).toEqual({ ok: false, error: 'counter_closed', message: 'the counter is closed' });
    expect(store.types('counter-1')).toEqual(['Closed']);
  });

  it('event ids are derived from stream, revision and content: a retried append of the same decision is stored once', async () => {
    const store = new MemoryEventStore();
    const handler = new CommandHandler(store, counter, { maxAttempts: 3 });
    const loaded = await handler.load('counter-1');
    const first = await handler.append(loaded, [{ type: 'Added', data: { by: 1 } }], META);
    const again = await handler.append(loaded, [{ type: 'Added', data: { by: 1 } }], META); // the response was lost: same call again
    expect(again).toEqual(first);
    expect(store.types('counter-1')).toEqual(['Added']);
    const other = new CommandHandler(new MemoryEventStore(), counter, { maxAttempts: 1 });
    const elsewhere = await other.append(await other.load('counter-1'), [{ type: 'Added', data: { by: 1 } }], META);
    expect(elsewhere!.events[0]!.id).toBe(first!.events[0]!.id);
  });

  it('a lost race re-reads and decides again on what the winner wrote', async () => {
    const store = new MemoryEventStore();
    let competitor = true;
    store.beforeAppend = async (stream) => {
      if (!competitor) return;
      competitor = false;
      await store.append(stream, [{ type: 'Added', data: { by: 10 } }], 'any');
    };
    const decided: number[] = [];
    const out = await new CommandHandler(store, counter, { maxAttempts: 3 }).handle(
      'counter-1',
      (s) => (decided.push(s.total), add(1)(s)),
      META,
    );
    expect(decided).toEqual([0, 10]);
    expect(out).toMatchObject({ ok: true, state: { total: 11 }, revision: 1n });
  });

  it('gives up after maxAttempts lost races with a typed write_conflict (no endless loop)', async () => {
    const store = new MemoryEventStore();
    let n = 0;
    const compete = async (stream: string): Promise<void> => {
      store.beforeAppend = undefined; // the competitor's own append goes through
      await store.append(stream, [{ type: 'Added', data: { by: 100 + n++ } }], 'any');
      store.beforeAppend = compete;
    };
    store.beforeAppend = compete;
    const decide = jest.fn(add(1));
    const out = await new CommandHandler(store, counter, { maxAttempts: 4 }).handle('counter-1', decide, META);
    expect(out).toMatchObject({ ok: false, error: 'write_conflict', attempts: 4 });
    expect(decide).toHaveBeenCalledTimes(4);
    expect(store.types('counter-1')).toEqual(['Added', 'Added', 'Added', 'Added']); // only the competitor's
  });

  it('with ifRevision (If-Match): a stream that moved answers revision_mismatch naming the current revision, never retried', async () => {
    const store = new MemoryEventStore();
    const handler = new CommandHandler(store, counter, { maxAttempts: 5 });
    await handler.handle('counter-1', add(1), META);
    await handler.handle('counter-1', add(1), META);
    const decide = jest.fn(add(1));
    expect(await handler.handle('counter-1', decide, META, { ifRevision: 0n })).toMatchObject({
      ok: false,
      error: 'revision_mismatch',
      current: 1n,
    });
    expect(decide).not.toHaveBeenCalled();
    expect(await handler.handle('counter-1', add(1), META, { ifRevision: 1n })).toMatchObject({
      ok: true,
      revision: 2n,
    });
  });

  it('with ifRevision, losing the append race to a same-revision writer is a revision_mismatch too', async () => {
    const store = new MemoryEventStore();
    const handler = new CommandHandler(store, counter, { maxAttempts: 5 });
    await handler.handle('counter-1', add(1), META);
    store.beforeAppend = async (stream) => {
      store.beforeAppend = undefined;
      await store.append(stream, [{ type: 'Added', data: { by: 7 } }], 0n);
    };
    expect(await handler.handle('counter-1', add(2), META, { ifRevision: 0n })).toMatchObject({
      ok: false,
      error: 'revision_mismatch',
      current: 1n,
    });
  });

  it("a 'last' aggregate reads only the stream's last event", async () => {
    const store = new MemoryEventStore();
    for (let i = 0; i < 5; i++) await store.append('lease-1', [{ type: 'Added', data: { by: i } }], 'any');
    const reads = jest.spyOn(store, 'readStream');
    const loaded = await new CommandHandler(store, { ...counter, read: 'last' }, { maxAttempts: 1 }).load('lease-1');
    expect(loaded).toMatchObject({ state: { total: 4 }, revision: 4n });
    expect(reads).not.toHaveBeenCalled();
  });

  it('attempt() repeats work that asks for RETRY with a fresh read, bounded the same way', async () => {
    const store = new MemoryEventStore();
    const handler = new CommandHandler(store, counter, { maxAttempts: 2 });
    const seen: number[] = [];
    const out = await handler.attempt('counter-1', async (_loaded, attempt) => (seen.push(attempt), RETRY));
    expect(seen).toEqual([1, 2]);
    expect(out).toMatchObject({ ok: false, error: 'write_conflict' });
  });
});
