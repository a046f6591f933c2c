/**
 * A subscription in this process sees events another OS process appends to the same file. No in-process
 * wake-up can reach across processes, so this exercises the polling path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent } from '../../src/application/ports/event-store.port';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { eventually } from './event-store.contract';
import { SqliteChild, startSqliteChild } from './support/child-process';

describe('SQLite subscription fed by another process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-cross-sub-'));
  const file = join(dir, 'events.db');
  let child: SqliteChild | undefined;
  let store: SqliteEventStore | undefined;

  afterAll(async () => {
    await store?.close();
    await child?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers, in order and once, events appended by a second process after the subscription went live', async () => {
    store = new SqliteEventStore(file, { pollIntervalMs: 100 });
    await store.append('employee-mirror-c1-e0', [{ id: 'before', type: 'Seen', data: {} }], 'no_stream');
    child = await startSqliteChild(file);

    const seen: RecordedEvent[] = [];
    let live = false;
    store.subscribeToAll((event) => void seen.push(event), {
      filter: { streamPrefixes: ['employee-mirror-'] },
      onLive: () => (live = true),
    });
    await eventually(() => expect(live).toBe(true));
    expect(seen.map((event) => event.id)).toEqual(['before']);

    const first = await child.send({
      cmd: 'append',
      stream: 'employee-mirror-c1-e1',
      expected: 'no_stream',
      ids: ['x1', 'x2'],
    });
    const second = await child.send({
      cmd: 'append',
      stream: 'employee-mirror-c1-e2',
      expected: 'no_stream',
      ids: ['x3'],
    });
    expect([first, second]).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);

    await eventually(() => expect(seen.map((event) => event.id)).toEqual(['before', 'x1', 'x2', 'x3']), 5000);
    expect(seen.slice(1).map((event) => (event.data as { pid: number }).pid)).toEqual([
      child.process.pid,
      child.process.pid,
      child.process.pid,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few more polls: nothing is delivered twice
    expect(seen).toHaveLength(4);
  });
});
