/**
 * The SQLite adapter's group commit: appends requested in the same turn of the event loop share one
 * IMMEDIATE transaction (one fsync), each in its own SAVEPOINT. These cases pin that sharing a commit
 * changes nothing an appender can observe: outcomes in call order, a conflict fails alone, nothing is
 * acknowledged before it is readable by another connection, and close() settles what it had accepted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { WrongExpectedRevisionError, type AppendResult } from '../../src/application/ports/event-store.port';

const root = mkdtempSync(join(tmpdir(), 'mlc-sqlite-group-'));
let counter = 0;
const freshFile = (): string => join(root, `case-${++counter}`, 'events.db');
const event = (type: string, n = 0) => ({ type, data: { n }, metadata: { actor: 'test' } });

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SQLite group commit', () => {
  it('commits appends made in one tick together, positions in call order, all readable by another connection once resolved', async () => {
    const file = freshFile();
    const store = new SqliteEventStore(file);
    const other = new SqliteEventStore(file);
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.append(`s-${i}`, [event('A', i)], 'no_stream')),
      );
      const positions = results.map((r) => r.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      expect(new Set(positions).size).toBe(20);
      const all = await other.readAll();
      expect(all.map((e) => e.stream)).toEqual(Array.from({ length: 20 }, (_, i) => `s-${i}`));
      expect(all.map((e) => e.position)).toEqual(positions);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('a conflicting append in the batch fails alone; its neighbours commit', async () => {
    const store = new SqliteEventStore(freshFile());
    try {
      await store.append('taken', [event('A')], 'no_stream');
      const before = store.append('before', [event('B')], 'no_stream');
      const conflict = store.append('taken', [event('C')], 'no_stream');
      const wrongRevision = store.append('taken', [event('D')], 5n);
      const after = store.append('after', [event('E')], 'no_stream');
      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(wrongRevision).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(before).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(after).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect((await store.readStream('taken')).map((e) => e.type)).toEqual(['A']);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['A', 'B', 'E']);
    } finally {
      await store.close();
    }
  });

  it('appends to one stream in one tick apply in call order, each seeing the ones before it', async () => {
    const store = new SqliteEventStore(freshFile());
    try {
      const first = store.append('one', [event('A')], 'no_stream');
      const second = store.append('one', [event('B'), event('C')], 0n);
      const stale = store.append('one', [event('X')], 0n); // the stream is at 2 by now
      const third = store.append('one', [event('D')], 2n);
      const repeat = store.append('one', [{ id: 'fixed-id', ...event('F') }], 'any');
      const repeatAgain = store.append('one', [{ id: 'fixed-id', ...event('F') }], 'any'); // idempotent repeat
      const results: AppendResult[] = await Promise.all([first, second, third, repeat, repeatAgain]);
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 2n, 3n, 4n, 4n]);
      expect(results[4].position).toBe(results[3].position);
      expect((await store.readStream('one')).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'F']);
    } finally {
      await store.close();
    }
  });

  it('an invalid batch is refused before it joins the group; the others commit', async () => {
    const store = new SqliteEventStore(freshFile());
    try {
      const good = store.append('good', [event('A')], 'no_stream');
      const bad = store.append('bad', [{ type: 'B', data: undefined as unknown }], 'any');
      await expect(bad).rejects.toThrow(TypeError);
      await expect(good).resolves.toMatchObject({ nextExpectedRevision: 0n });
    } finally {
      await store.close();
    }
  });

  it('close() commits the appends it had accepted, then refuses new ones', async () => {
    const file = freshFile();
    const store = new SqliteEventStore(file);
    const pending = [
      store.append('late-1', [event('A')], 'no_stream'),
      store.append('late-2', [event('B')], 'no_stream'),
    ];
    await store.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(2);
    await expect(store.append('after-close', [event('C')], 'any')).rejects.toThrow(/closed/);
    const reopened = new SqliteEventStore(file);
    try {
      expect((await reopened.readAll()).map((e) => e.stream)).toEqual(['late-1', 'late-2']);
    } finally {
      await reopened.close();
    }
  });
});
