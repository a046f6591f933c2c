/**
 * Prefix-filtered reads on SQLite take one of two paths: a prefix with few events in all (≤ 2,000, and
 * fewer than follow the cursor) is read through the stream index, others by scanning positions. Both must give the same answer: every
 * matching event, in position order, none twice — including when a subscription crosses from one to the
 * other, and for prefixes with LIKE wildcards or other case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';

describe('SQLite prefix reads: sparse (stream index) and dense (position scan) paths agree', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-sparse-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    // 2,600 dense events in 1,300 streams, with a sparse stream family written among them.
    for (let i = 0; i < 1300; i++) {
      await store.append(
        `dense-${i}`,
        [
          { type: 'A', data: { i } },
          { type: 'B', data: { i } },
        ],
        'no_stream',
      );
      if (i % 400 === 0) await store.append(`sparse-${i}`, [{ type: 'C', data: { i } }], 'no_stream');
    }
    await store.append('sparse_x', [{ type: 'C', data: { wildcard: true } }], 'no_stream');
    await store.append('SPARSE-upper', [{ type: 'C', data: { upper: true } }], 'no_stream');
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sparse prefix returns exactly its events in position order', async () => {
    const events = await store.readAll(undefined, { filter: { streamPrefixes: ['sparse-'] } });
    expect(events.map((e) => e.stream)).toEqual(['sparse-0', 'sparse-400', 'sparse-800', 'sparse-1200']);
    const positions = events.map((e) => e.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    const typed = await store.readAll(undefined, {
      filter: { streamPrefixes: ['sparse-', 'nothing-'], eventTypes: ['C'] },
    });
    expect(typed).toHaveLength(4);
  });

  it('a dense prefix returns all its events in position order, none twice', async () => {
    const events = await store.readAll(undefined, { filter: { streamPrefixes: ['dense-'] } });
    expect(events).toHaveLength(2600);
    expect(new Set(events.map((e) => e.position)).size).toBe(2600);
    for (let i = 1; i < events.length; i++) expect(events[i]!.position > events[i - 1]!.position).toBe(true);
    // From near the end the position scan is the cheaper path again: the answer continues seamlessly.
    const tail = await store.readAll(events[2400]!.position, { filter: { streamPrefixes: ['dense-'] } });
    expect(tail.map((e) => e.position)).toEqual(events.slice(2401).map((e) => e.position));
  });

  it('a subscription reading a sparse prefix from 0 sees each event once', async () => {
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = store.subscribeToAll((e) => void seen.push(e.stream), {
        filter: { streamPrefixes: ['sparse-'] },
        onLive: () => void sub.stop().then(resolve),
        onError: reject,
      });
    });
    expect(seen).toEqual(['sparse-0', 'sparse-400', 'sparse-800', 'sparse-1200']);
  });
});
