/**
 * Two OS processes append to one stream in one SQLite file with the same expected revision, released at
 * the same instant: in every round exactly one wins and the other gets wrong_expected_revision — the
 * IMMEDIATE transaction plus UNIQUE(stream, revision) hold across processes, not only across connections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteChild, startSqliteChild } from './support/child-process';

const ROUNDS = 8;

describe('SQLite event store across two OS processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-two-proc-'));
  const file = join(dir, 'events.db');
  let children: SqliteChild[] = [];

  beforeAll(async () => {
    children = await Promise.all([startSqliteChild(file), startSqliteChild(file)]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`exactly one of two processes wins each of ${ROUNDS} simultaneous appends with the same expected revision`, async () => {
    const stream = 'payroll-posting-conn-1-race';
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const expected = round === 0 ? ('no_stream' as const) : round - 1;
      const at = Date.now() + 60;
      children.forEach((child, index) =>
        child.post({ cmd: 'append', stream, expected, ids: [`round-${round}-child-${index}`], at }),
      );
      const replies = await Promise.all(children.map((child) => child.next()));

      const ok = replies.filter((reply) => 'ok' in reply && reply.ok);
      const refused = replies.filter((reply) => 'ok' in reply && !reply.ok);
      expect(ok).toHaveLength(1);
      expect(refused).toEqual([
        expect.objectContaining({ ok: false, code: 'wrong_expected_revision', name: 'WrongExpectedRevisionError' }),
      ]);
      winners.push(`round-${round}-child-${replies.indexOf(ok[0])}`);
    }

    const store = new SqliteEventStore(file);
    try {
      const read = await store.readStream(stream);
      expect(read.map((event) => event.id)).toEqual(winners);
      expect(read.map((event) => event.revision)).toEqual(Array.from({ length: ROUNDS }, (_, i) => BigInt(i)));
      for (let i = 1; i < read.length; i += 1) expect(read[i].position > read[i - 1].position).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a retry of the same ids from both processes at once is stored once, and both are told it succeeded', async () => {
    const stream = 'gusto-webhook-evt-42';
    const at = Date.now() + 60;
    children.forEach((child) =>
      child.post({ cmd: 'append', stream, expected: 'no_stream', ids: ['evt-42-received'], at }),
    );
    const replies = await Promise.all(children.map((child) => child.next()));
    expect(replies).toEqual([
      { ok: true, nextExpectedRevision: '0', position: expect.any(String) },
      { ok: true, nextExpectedRevision: '0', position: expect.any(String) },
    ]);
    const store = new SqliteEventStore(file);
    try {
      expect((await store.readStream(stream)).map((event) => event.id)).toEqual(['evt-42-received']);
    } finally {
      await store.close();
    }
  });
});
