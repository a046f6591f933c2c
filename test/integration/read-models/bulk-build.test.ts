/**
 * The bulk build (a cold build or a rebuild far behind the head, embedded store): its two parts run in
 * worker threads on the store's file, and the read model they leave is the one the main thread would have
 * built event by event — same rows and digest, counts, audit pages per connection, whole-log pages,
 * unsettled postings and checkpoint — and the projector goes on live from there.
 *
 * Runs the compiled worker (`npx tsc -p tsconfig.build.json` first, as for the tests that spawn `dist`).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeHistory } from '../../../bench/support/history';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../../../src/adapters/outbound/read-models/sqlite-read-model-store';
import type { AuditEvent } from '../../../src/application/payroll-posting/projections/audit-event';
import { GenerationProjector } from '../../../src/application/payroll-posting/projections/generation-projector';
import type { ReadModelGeneration } from '../../../src/application/payroll-posting/projections/read-model-store.port';
import { postingStream } from '../../../src/domain/payroll-posting/events';
import { waitFor } from '../../support/wait';

const WORKER = resolve(__dirname, '../../../dist/src/adapters/outbound/read-models/bulk-build.worker.js');
const A = 'b01dface-0000-4000-8000-00000000000a';
const B = 'b01dface-0000-4000-8000-00000000000b';
const POSTINGS = 400;
const at = (n: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), actor: 'webhook' });

/** `read` on a read-only connection of its own to `file`. */
function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every page of a paged answer, in order. */
function all(page: (after?: bigint) => { items: AuditEvent[]; next: string | null }): AuditEvent[] {
  const out: AuditEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const p = page(after);
    out.push(...p.items);
    if (p.next === null) return out;
    after = BigInt(p.next);
  }
}

/** What the API can read of a generation. */
async function contents(g: ReadModelGeneration) {
  return {
    digest: await g.digest(),
    counts: g.counts(),
    checkpoint: g.checkpoint(),
    unsettled: g.unsettled(),
    auditA: all((after) => g.auditPage({ connectionId: A, limit: 500, after })),
    auditB: all((after) => g.auditPage({ connectionId: B, limit: 500, after })),
    pendingOfA: all((after) => g.auditPage({ connectionId: A, type: 'PostingRequested', limit: 100, after })),
    log: all((after) => g.logPage({ limit: 700, after })),
    logBuilt: all((after) => g.logPage({ type: 'JournalBuilt', limit: 100, after })),
  };
}

describe('read-model bulk build (worker threads on the embedded store)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npx tsc -p tsconfig.build.json first`);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-bulk-'));
    file = join(dir, 'store.db');
    writeHistory(file, { postings: POSTINGS, connectionIds: [A, B] });
    // Beside the generated history: a posting still open, a connection's own event, an event naming no one.
    const store = new SqliteEventStore(file);
    await store.append(
      postingStream(A, 'open-1'),
      [
        {
          type: 'PostingRequested',
          data: { connectionId: A, payrollUuid: 'open-1', trigger: 'webhook' },
          metadata: at(1),
        },
      ],
      'no_stream',
    );
    await store.append(`connection-${B}`, [{ type: 'MappingAccepted', data: { version: 2 }, metadata: at(2) }], 'any');
    await store.append('gusto-webhook-x', [{ type: 'GustoWebhookReceived', data: { n: 1 }, metadata: at(3) }], 'any');
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The generation's postings indexes by name, without the generation's prefix. */
  function postingsIndexesOf(g: string): string[] {
    return readOnly(file, (db) =>
      (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
          )
          .all(`rm_${g}_postings`) as Array<{ name: string }>
      ).map((r) => r.name.slice(`rm_${g}_`.length)),
    );
  }

  it('leaves the read model the main thread builds event by event, then goes on live', async () => {
    const store = new SqliteEventStore(file);
    const head = await store.headPosition();
    const models = new SqliteReadModelStore(file, { bulk: { minEvents: 1, script: WORKER } });
    expect(models.bulkBuild).toBeDefined();
    try {
      const inThread = new GenerationProjector(store, models.current(), () => undefined);
      await inThread.start();
      await inThread.stop();

      const bulk = new GenerationProjector(store, models.createGeneration(), () => undefined, {
        bulkBuild: models.bulkBuild,
      });
      await bulk.start();
      // Every event was read by the parts, none by the main thread's catch-up after them.
      expect(bulk.delivered).toBe(Number(head));
      expect(bulk.generation.checkpoint()).toBe(head);
      const built = await contents(bulk.generation);
      const expected = await contents(inThread.generation);
      expect(built).toEqual(expected);
      expect(built.digest.rows).toBe(POSTINGS + 1);
      expect(built.digest.events).toBe(POSTINGS * 6 + 1);
      expect(built.counts.posted).toBe(POSTINGS);
      expect(built.auditB.some((e) => e.type === 'MappingAccepted')).toBe(true);
      expect(built.log).toHaveLength(Number(head));
      expect([...bulk.open.keys()]).toEqual([postingStream(A, 'open-1')]);
      // The parts left the journals in the log: a posting's view reads its journal back whole.
      const someId = built.log.find((e) => e.type === 'JournalBuilt')?.stream.replace('payroll-posting-', '');
      const one = `${A}:${someId?.slice(A.length + 1)}`;
      expect(bulk.generation.get(one)?.journal?.lines).toHaveLength(30);
      expect(bulk.generation.get(one)).toEqual(inThread.generation.get(one));
      // A rebuild's generation gets its postings indexes after the load (the same ones a fresh one has).
      expect(postingsIndexesOf(bulk.generation.name)).toEqual(postingsIndexesOf(inThread.generation.name));
      expect(postingsIndexesOf(bulk.generation.name)).toHaveLength(7);
      for (const query of [
        { connectionId: B, limit: 7 },
        { status: 'posted', limit: 5 },
        { connectionId: A, status: 'pending', limit: 5 },
      ])
        expect(bulk.generation.list(query)).toEqual(inThread.generation.list(query));

      // Live after the bulk: a later event is folded by the main thread as usual.
      await store.append(
        postingStream(A, 'open-1'),
        [
          {
            type: 'PostingCancelled',
            data: { trigger: 'webhook', reason: 'cancelled_before_posting' },
            metadata: at(4),
          },
        ],
        0n,
      );
      await waitFor('the later event folded', async () =>
        bulk.generation.get(`${A}:open-1`)?.status === 'cancelled' ? true : null,
      );
      await bulk.stop();
    } finally {
      models.close();
      await store.close();
    }
  }, 60_000);

  it('never stores a journal left in the log as a view’s journal', () => {
    const models = new SqliteReadModelStore(file, { bulk: false });
    try {
      const g = models.current();
      const view = {
        id: `${A}:p`,
        connectionId: A,
        payrollUuid: 'p',
        status: 'pending',
        journal: { inLog: true },
        events: 1,
      };
      const row = {
        stream: postingStream(A, 'p'),
        id: view.id,
        connectionId: A,
        payrollUuid: 'p',
        status: 'pending' as const,
        settled: false,
        firstPosition: 1n,
        lastPosition: 1n,
      };
      expect(() => g.commit({ rows: [{ ...row, view: view as never }], audit: [], owners: [], log: [] })).toThrow(
        /journal was left in the log/,
      );
      // With the position it is read from, the row keeps the position and no copy.
      g.commit({ rows: [{ ...row, view: view as never, journalPosition: 1n }], audit: [], owners: [], log: [] });
      const stored = readOnly(
        file,
        (db) =>
          db.prepare(`SELECT view, journal_position FROM rm_${g.name}_postings WHERE stream = ?`).get(row.stream) as {
            view: string;
            journal_position: number;
          },
      );
      expect(JSON.parse(stored.view).journal).toBeNull();
      expect(stored.journal_position).toBe(1);
    } finally {
      models.close();
    }
  });

  it('below its threshold, or stopped while it runs, the build stays on the main thread or ends', async () => {
    const store = new SqliteEventStore(file);
    const head = await store.headPosition();
    const models = new SqliteReadModelStore(file, { bulk: { minEvents: 1_000_000, script: WORKER } });
    const stopping = new SqliteReadModelStore(file, { bulk: { minEvents: 1, script: WORKER } });
    try {
      const small = new GenerationProjector(store, models.current(), () => undefined, {
        bulkBuild: models.bulkBuild,
      });
      await small.start();
      expect(small.checkpoint).toBe(head);
      await small.stop();

      const stopped = new GenerationProjector(store, stopping.createGeneration(), () => undefined, {
        bulkBuild: stopping.bulkBuild,
      });
      const started = stopped.start();
      await new Promise((r) => setTimeout(r, 50));
      await stopped.stop();
      await started;
      // The parts were ended before they were done: no checkpoint, nothing live (a next start builds again).
      expect(stopped.live).toBe(false);
      expect(stopped.generation.checkpoint()).toBeUndefined();
    } finally {
      models.close();
      stopping.close();
      await store.close();
    }
  }, 60_000);
});

describe('retired generations dropped in a worker thread (embedded store)', () => {
  const DROP_WORKER = resolve(__dirname, '../../../dist/src/adapters/outbound/read-models/drop-generation.worker.js');

  it('drops every table and index of the retired generation off the main thread, and its meta keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-drop-'));
    const file = join(dir, 'store.db');
    try {
      writeHistory(file, { postings: 50, connectionIds: [A] });
      // No bulk build here (its worker is not given), but the drop worker is.
      const models = new SqliteReadModelStore(file, { bulk: { minEvents: 1e9 }, dropScript: DROP_WORKER });
      const store = new SqliteEventStore(file);
      try {
        const first = new GenerationProjector(store, models.current(), () => undefined);
        await first.start();
        await first.stop();
        const old = first.generation.name;
        const next = models.createGeneration();
        models.promote(next);
        expect(models.dropRetired(60_000)).toEqual([]);
        expect(models.dropRetired(0)).toEqual([old]);
        // Being dropped: not started again by the next call.
        expect(models.dropRetired(0)).toEqual([]);
        const left = (): string[] =>
          readOnly(file, (db) =>
            (
              db.prepare('SELECT name FROM sqlite_master WHERE name LIKE ?').all(`rm_${old}_%`) as Array<{
                name: string;
              }>
            ).map((r) => r.name),
          );
        await waitFor('the old generation dropped', async () => (left().length === 0 ? true : null));
        await waitFor('its meta keys gone', async () =>
          models.meta(`retired.${old}`) === undefined && models.meta(`${old}.checkpoint`) === undefined ? true : null,
        );
        expect(models.currentName()).toBe(next.name);
        expect(next.counts()).toBeDefined();
      } finally {
        models.close();
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
