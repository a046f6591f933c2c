/**
 * A generation's digest (the rebuild's answer) is read in pages with the event loop served between them,
 * from one snapshot: rows written meanwhile on the main connection are not in it, and the pages together
 * hash exactly what one pass over the table does.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHistory } from '../../../bench/support/history';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../../../src/adapters/outbound/read-models/sqlite-read-model-store';
import { GenerationProjector } from '../../../src/application/payroll-posting/projections/generation-projector';
import { postingStream } from '../../../src/domain/payroll-posting/events';

const POSTINGS = 4_500;
const CONNECTION = 'd16e5700-0000-4000-8000-000000000001';

/** The old single pass: every row's view (and journal position) in id order. */
function onePass(file: string, g: string): { rows: number; digest: string } {
  const db = new Database(file, { readonly: true });
  try {
    const hash = createHash('sha256').update('[');
    const rows = db
      .prepare(`SELECT view, journal_position FROM rm_${g}_postings ORDER BY id, first_position`)
      .all() as Array<{ view: string; journal_position: number | null }>;
    rows.forEach((r, i) => {
      if (i > 0) hash.update(',');
      hash.update(r.journal_position === null ? r.view : `${r.view}@${r.journal_position}`);
    });
    return { rows: rows.length, digest: hash.update(']').digest('hex') };
  } finally {
    db.close();
  }
}

describe('generation digest', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-digest-'));
    file = join(dir, 'store.db');
    writeHistory(file, { postings: POSTINGS, connectionIds: [CONNECTION], linesPerJournal: 2 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('pages through the rows from one snapshot, serving the event loop between pages', async () => {
    const store = new SqliteEventStore(file);
    const models = new SqliteReadModelStore(file, { bulk: false });
    try {
      const projector = new GenerationProjector(store, models.current(), () => undefined);
      await projector.start();
      await projector.stop();
      const g = projector.generation;
      const expected = onePass(file, g.name);
      expect(expected.rows).toBe(POSTINGS);

      let turns = 0;
      const ticking = setInterval(() => (turns += 1), 0);
      const digesting = g.digest();
      // A row written on the main connection while the digest runs is not in its snapshot.
      await new Promise((r) => setImmediate(r));
      g.commit({
        rows: [
          {
            stream: postingStream(CONNECTION, 'late'),
            id: `${CONNECTION}:late`,
            connectionId: CONNECTION,
            payrollUuid: 'late',
            status: 'pending',
            settled: false,
            firstPosition: 10_000_000n,
            lastPosition: 10_000_000n,
            view: { id: `${CONNECTION}:late`, events: 1 } as never,
          },
        ],
        audit: [],
        owners: [],
        log: [],
      });
      const digest = await digesting;
      clearInterval(ticking);
      expect(digest).toEqual({ rows: expected.rows, events: POSTINGS * 6, digest: expected.digest });
      expect(turns).toBeGreaterThan(0);
      expect((await g.digest()).rows).toBe(POSTINGS + 1);
    } finally {
      models.close();
      await store.close();
    }
  }, 60_000);
});
