/**
 * The whole log's audit index (`GET /api/audit/events` without a connection): every event by position,
 * filtered by type and time from the index, on a real SQLite file — the same pages as the log itself,
 * read from the index (an index row removed is an event missing from the page), with or without the
 * log in the same file.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { logAccess, TIME_INDEX_SORT_LIMIT } from '../../../src/adapters/outbound/read-models/sqlite-audit-pages';
import { SqliteReadModelStore } from '../../../src/adapters/outbound/read-models/sqlite-read-model-store';
import { toAuditEvent } from '../../../src/application/payroll-posting/projections/audit-event';
import { GenerationProjector } from '../../../src/application/payroll-posting/projections/generation-projector';
import { PostingsProjection } from '../../../src/application/payroll-posting/projections/postings-projection';
import { waitFor } from '../../support/wait';

const minute = (n: number): string => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
const ms = (n: number): number => Date.UTC(2026, 0, 1, 0, n);

describe('the whole log’s audit index', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-audit-log-'));
    file = join(dir, 'store.db');
    store = new SqliteEventStore(file);
    // 60 events over 6 streams, a minute apart, three types; the last one has no metadata.at (recordedAt counts).
    for (let i = 0; i < 60; i++) {
      const type = ['Alpha', 'Beta', 'Gamma'][i % 3]!;
      await store.append(`s-${i % 6}`, [{ type, data: { i }, metadata: i === 59 ? {} : { at: minute(i) } }], 'any');
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function indexed(path: string): Promise<{ models: SqliteReadModelStore; stop: () => Promise<void> }> {
    const models = new SqliteReadModelStore(path);
    const projector = new GenerationProjector(store, models.current(), () => undefined);
    await projector.start();
    return { models, stop: async () => (await projector.stop(), models.close()) };
  }

  it('pages every event by position, filtered by type and time, exactly as the log answers', async () => {
    const { models, stop } = await indexed(file);
    try {
      const log = (await store.readAll(undefined, { maxCount: 1000 })).map(toAuditEvent);
      const generation = models.current();
      expect(generation.hasLogIndex()).toBe(true);
      // Unfiltered, 25 at a time, following `next`.
      const seen = [];
      let after: bigint | undefined;
      for (;;) {
        const page = generation.logPage({ limit: 25, after });
        seen.push(...page.items);
        if (page.next === null) break;
        after = BigInt(page.next);
      }
      expect(seen).toEqual(log);
      // Type, time window, both; a window that matches nothing; after a cursor.
      expect(generation.logPage({ type: 'Beta', limit: 100 }).items).toEqual(log.filter((e) => e.type === 'Beta'));
      const window = log.filter((e) => Date.parse(e.time) >= ms(10) && Date.parse(e.time) <= ms(19));
      expect(window).toHaveLength(10);
      expect(generation.logPage({ fromMs: ms(10), toMs: ms(19), limit: 100 }).items).toEqual(window);
      expect(generation.logPage({ type: 'Gamma', fromMs: ms(10), toMs: ms(19), limit: 100 }).items).toEqual(
        window.filter((e) => e.type === 'Gamma'),
      );
      expect(
        generation.logPage({ fromMs: ms(10), toMs: ms(19), limit: 100, after: BigInt(window[4]!.position) }).items,
      ).toEqual(window.slice(5));
      expect(generation.logPage({ fromMs: Date.UTC(2999, 0, 1), limit: 100 })).toEqual({ items: [], next: null });
      // The last event's time is its recordedAt.
      expect(generation.logPage({ fromMs: Date.parse(log[59]!.recordedAt), limit: 100 }).items).toEqual([log[59]]);
    } finally {
      await stop();
    }
  });

  it('reads the index, not the log: an index row removed is an event missing from the page', async () => {
    const { models, stop } = await indexed(file);
    try {
      const before = models.current().logPage({ limit: 5 }).items;
      const raw = new Database(file);
      raw.prepare(`DELETE FROM rm_${models.current().name}_log WHERE position = ?`).run(BigInt(before[2]!.position));
      raw.close();
      const after = models.current().logPage({ limit: 4 }).items;
      expect(after.map((e) => e.position)).toEqual(
        [before[0], before[1], before[3], before[4]].map((e) => e!.position),
      );
    } finally {
      await stop();
    }
  });

  it('without the log in the same file (KurrentDB deployments) the index keeps the events and answers the same', async () => {
    const joined = await indexed(file);
    const separate = await indexed(join(dir, 'read-models.db'));
    try {
      expect(separate.models.joinsEvents).toBe(false);
      for (const query of [{ limit: 100 }, { type: 'Alpha', limit: 7 }, { fromMs: ms(20), toMs: ms(40), limit: 100 }]) {
        expect(separate.models.current().logPage(query)).toEqual(joined.models.current().logPage(query));
      }
    } finally {
      await joined.stop();
      await separate.stop();
    }
  });

  it('a time filter reads the time index while few events match, the position order when many do', async () => {
    const { models, stop } = await indexed(file);
    try {
      const raw = new Database(file);
      const g = models.current().name;
      const sql = (text: string) => raw.prepare(text.replace(/\{g\}/g, `rm_${g}`)).safeIntegers(true);
      expect(logAccess(sql, { fromMs: ms(10), toMs: ms(19), limit: 10 })).toBe('time');
      expect(logAccess(sql, { type: 'Alpha', limit: 10 })).toBe('type');
      expect(logAccess(sql, { limit: 10 })).toBe('position');
      // More matches than the bound (index rows added straight into the table, all in the window).
      const insert = raw.prepare(
        `INSERT INTO rm_${g}_log (position, type, time_ms, event) VALUES (?, 'Delta', ?, NULL)`,
      );
      raw.transaction(() => {
        for (let i = 0; i <= TIME_INDEX_SORT_LIMIT; i++) insert.run(1_000_000 + i, ms(15));
      })();
      expect(logAccess(sql, { fromMs: ms(10), toMs: ms(19), limit: 10 })).toBe('position');
      expect(
        logAccess(sql, {
          fromMs: ms(10),
          toMs: ms(19),
          limit: 10,
          after: 1_000_000n + BigInt(TIME_INDEX_SORT_LIMIT) - 5n,
        }),
      ).toBe('time');
      raw.close();
    } finally {
      await stop();
    }
  });

  it('a read model stored before the index existed is rebuilt in the background at start; the log answers meanwhile', async () => {
    const { models, stop } = await indexed(file);
    const old = models.current().name;
    await stop();
    const raw = new Database(file);
    raw.exec(`DROP TABLE rm_${old}_log`); // as an older version stored it
    raw.close();
    const readModels = new SqliteReadModelStore(file);
    const projection = new PostingsProjection(store, readModels);
    try {
      expect(readModels.current().hasLogIndex()).toBe(false);
      expect(projection.logPage({ limit: 5 })).toBeUndefined(); // AuditEvents then pages the log
      // Events arriving meanwhile are folded into the old generation (no index table to write).
      await store.append('s-late', [{ type: 'Late', data: {}, metadata: { at: minute(70) } }], 'no_stream');
      await projection.start();
      await waitFor('rebuilt with the index', async () => (readModels.current().hasLogIndex() ? true : null), 20_000);
      expect(readModels.currentName()).not.toBe(old);
      expect(projection.logPage({ limit: 100 })!.items).toEqual(
        (await store.readAll(undefined, { maxCount: 100 })).map(toAuditEvent),
      );
    } finally {
      await projection.onApplicationShutdown();
    }
  });
});
