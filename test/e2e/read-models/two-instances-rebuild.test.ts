/**
 * Two service processes on one SQLite file: a rebuild on one does not break the other. The rebuilt
 * generation is promoted, the other instance follows it (reads and writes the new generation, stays
 * ready), the old one is only retired; a second rebuild while one runs answers 409.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHistory } from '../../../bench/support/history';
import { SqliteReadModelStore } from '../../../src/adapters/outbound/read-models/sqlite-read-model-store';
import {
  apiCall,
  spawnService,
  tempDataDir,
  testEnv,
  TEST_ADMIN_TOKEN,
  type SpawnedService,
} from '../../support/service';
import { waitFor } from '../../support/wait';

const AUTH = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const POSTINGS = 1500;

const postingsModel = async (service: SpawnedService) => {
  const res = await apiCall(service.url, 'GET', '/health/ready');
  return { status: res.status, model: res.body.readModels.find((m: any) => m.name === 'postings') };
};

describe('read models: two instances on one SQLite file and a rebuild', () => {
  let dataDir: string;
  let a: SpawnedService | undefined;
  let b: SpawnedService | undefined;
  beforeAll(async () => {
    dataDir = tempDataDir('mlc-two-rebuild-');
    writeHistory(join(dataDir, 'ml-connector.db'), { postings: POSTINGS });
    a = await spawnService(testEnv(dataDir));
    b = await spawnService(testEnv(dataDir));
    for (const s of [a, b])
      await waitFor('ready', async () => ((await postingsModel(s)).status === 200 ? true : null), 60_000);
  }, 90_000);
  afterAll(async () => {
    await a?.kill('SIGKILL');
    await b?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the other instance follows the rebuilt generation, stays ready and sees what is written after', async () => {
    const before = (await postingsModel(b!)).model.generation;
    const rebuilt = await apiCall(a!.url, 'POST', '/api/projections/rebuild', undefined, AUTH);
    expect(rebuilt.status).toBe(200);
    const generation = (await postingsModel(a!)).model.generation;
    expect(generation).not.toBe(before);
    // B moves to the new generation and is ready there (it was 503 until a restart before).
    const followed = await waitFor(
      'B follows',
      async () => {
        const m = await postingsModel(b!);
        return m.model.generation === generation && m.status === 200 ? m : null;
      },
      20_000,
    );
    expect(followed.model.live).toBe(true);

    // A posting written after the rebuild reaches both instances' lists and metrics.
    writeHistory(join(dataDir, 'ml-connector.db'), { postings: 1, startAt: new Date('2026-06-01T00:00:00Z') });
    for (const s of [a!, b!]) {
      await waitFor(
        'the new posting',
        async () => {
          const metrics = await apiCall(s.url, 'GET', '/metrics');
          return metrics.text.includes(`mlc_postings{status="posted"} ${POSTINGS + 1}`) ? true : null;
        },
        20_000,
      );
      expect((await postingsModel(s)).status).toBe(200);
    }
    const newest = await apiCall(b!.url, 'GET', '/api/postings?limit=1', undefined, AUTH);
    const onA = await apiCall(a!.url, 'GET', '/api/postings?limit=1', undefined, AUTH);
    expect(newest.body).toEqual(onA.body);

    // The old generation is retired, not dropped (B might still have been writing it); the new one is current.
    const raw = new Database(join(dataDir, 'ml-connector.db'), { readonly: true });
    const meta = Object.fromEntries(
      (raw.prepare('SELECT key, value FROM rm_meta').all() as Array<{ key: string; value: string }>).map((r) => [
        r.key,
        r.value,
      ]),
    );
    raw.close();
    expect(meta.current).toBe(generation);
    expect(meta[`retired.${before}`]).toBeDefined();
  }, 120_000);

  it('two rebuilds at once: one runs, the other answers 409 while it does; both instances end on one generation', async () => {
    const [x, y] = await Promise.all(
      [a!, b!].map((s) => apiCall(s.url, 'POST', '/api/projections/rebuild', undefined, AUTH)),
    );
    const statuses = [x!.status, y!.status];
    expect(statuses).toContain(200);
    for (const answer of [x!, y!])
      if (answer.status !== 200) expect(answer.body).toMatchObject({ error: 'rebuild_in_progress' });
    // When the first rebuild ended before the second began, both answer 200 and the later one wins: wait for the
    // two instances to agree rather than for the generation one of them reported mid-way.
    await waitFor(
      'both on one generation',
      async () => {
        const [onA, onB] = await Promise.all([postingsModel(a!), postingsModel(b!)]);
        return onA.model.generation === onB.model.generation && onA.status === 200 && onB.status === 200 ? true : null;
      },
      20_000,
    );
    const digests = await Promise.all(
      [a!, b!].map(async (s) => (await apiCall(s.url, 'GET', '/api/postings?limit=5', undefined, AUTH)).body),
    );
    expect(digests[0]).toEqual(digests[1]);
  }, 120_000);
});

describe('retired generations', () => {
  it('stay until their grace has passed, then are dropped', () => {
    const dir = tempDataDir('mlc-retired-');
    try {
      const store = new SqliteReadModelStore(join(dir, 'rm.db'));
      const first = store.current();
      const next = store.createGeneration();
      store.promote(next);
      expect(store.currentName()).toBe(next.name);
      expect(store.dropRetired(60_000)).toEqual([]);
      expect(first.counts()).toEqual({ pending: 0, posted: 0, failed: 0, needs_attention: 0, cancelled: 0 }); // still there
      expect(store.dropRetired(0)).toEqual([first.name]);
      expect(() => first.counts()).toThrow(/no such table/);
      expect(store.current().name).toBe(next.name);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
