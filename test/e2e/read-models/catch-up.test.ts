/**
 * Start-up on a long history: /health (liveness) answers while the read models catch up, /health/ready
 * says what is catching up until they are live, SIGTERM is honoured during the catch-up, a restart
 * resumes from the stored checkpoint (nothing re-read from position 0), and a rebuild runs while the
 * old read model keeps answering.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeHistory } from '../../../bench/support/history';
import { PostingsProjection } from '../../../src/application/payroll-posting/projections/postings-projection';
import { apiCall, spawnService, startService, tempDataDir, testEnv, type TestService } from '../../support/service';
import { waitFor } from '../../support/wait';

const POSTINGS = 3000; // 24,000 events, ~30 MB

const readyOf = async (service: TestService) =>
  waitFor(
    'ready',
    async () => {
      const res = await apiCall(service.url, 'GET', '/health/ready');
      return res.status === 200 ? res : null;
    },
    120_000,
  );

describe('read models: start-up on a long history', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = tempDataDir('mlc-catchup-');
    writeHistory(join(dataDir, 'ml-connector.db'), { postings: POSTINGS });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('/health answers 200 during the catch-up while /health/ready answers 503 with the progress, then 200', async () => {
    let service: TestService | undefined;
    try {
      service = await startService({ dataDir, keepData: true });
      const before = await apiCall(service.url, 'GET', '/health/ready');
      const health = await apiCall(service.url, 'GET', '/health');
      const after = await apiCall(service.url, 'GET', '/health/ready');
      expect(health.status).toBe(200);
      // /health was answered between two readiness answers that both said "still catching up".
      expect(before.status).toBe(503);
      expect(after.status).toBe(503);
      expect(after.body.status).toBe('catching_up');
      const postings = after.body.readModels.find((m: any) => m.name === 'postings');
      expect(postings).toMatchObject({ live: false });
      expect(BigInt(postings.behind)).toBeGreaterThan(0n);
      expect(BigInt(after.body.head)).toBeGreaterThanOrEqual(BigInt(POSTINGS * 8));

      const ready = await readyOf(service);
      expect(ready.body.status).toBe('ready');
      expect(ready.body.readModels.find((m: any) => m.name === 'postings')).toMatchObject({ live: true, behind: '0' });
      const metrics = await apiCall(service.url, 'GET', '/metrics');
      expect(metrics.text).toContain(`mlc_postings{status="posted"} ${POSTINGS}`);
      const page = await apiCall(service.url, 'GET', '/api/postings?limit=2', undefined, service.auth);
      expect(page.body.items).toHaveLength(2);
      const openApi = await apiCall(service.url, 'GET', '/docs-json');
      expect(Object.keys(openApi.body.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready']));
      expect(Object.keys(openApi.body.paths['/health/ready'].get.responses)).toEqual(
        expect.arrayContaining(['200', '503']),
      );
    } finally {
      await service?.close();
    }
  }, 180_000);

  it('a restart on the same store resumes from the checkpoint: nothing is re-read from position 0', async () => {
    // Runs after the first test built the read model into the store's file.
    const service = await startService({ dataDir, keepData: true });
    try {
      const ready = await readyOf(service);
      const postings = ready.body.readModels.find((m: any) => m.name === 'postings');
      // Caught up: live, nothing behind. (Other start-up work — the accrual process, poll and licence bookkeeping —
      // may append an event or two after the model went live, so the head can be a few past its checkpoint.)
      expect(postings).toMatchObject({ live: true, behind: '0' });
      expect(BigInt(ready.body.head) - BigInt(postings.checkpoint)).toBeLessThan(10n);
      const projection = service.app.get(PostingsProjection);
      // The log holds 24,000+ events; from the checkpoint only the tail written after the last checkpoint
      // commit (and the start's own few) is read — a few dozen at most, never the log from position 0.
      expect(projection.eventsReadSinceStart()).toBeLessThan(240);
      const metrics = await apiCall(service.url, 'GET', '/metrics');
      expect(metrics.text).toContain(`mlc_postings{status="posted"} ${POSTINGS}`);
      const list = await apiCall(service.url, 'GET', '/api/postings?limit=3', undefined, service.auth);
      expect(list.body.items).toHaveLength(3);
      const one = await apiCall(
        service.url,
        'GET',
        `/api/postings/${encodeURIComponent(list.body.items[0].id)}`,
        undefined,
        service.auth,
      );
      expect(one.status).toBe(200);
      expect(one.body).toEqual(list.body.items[0]);
      expect(one.body.journal.lines.length).toBe(30);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('a rebuild runs in the background: the old read model answers meanwhile, then the rebuilt one is identical', async () => {
    const service = await startService({ dataDir, keepData: true });
    try {
      await readyOf(service);
      const list = async () => apiCall(service.url, 'GET', '/api/postings?limit=5', undefined, service.auth);
      const first = await list();
      const rebuilding = apiCall(service.url, 'POST', '/api/projections/rebuild', undefined, service.auth);
      // While it runs: liveness, readiness (still ready, flagged rebuilding) and reads all answer.
      const during = await waitFor('rebuild under way', async () => {
        const res = await apiCall(service.url, 'GET', '/health/ready');
        return res.body.readModels.find((m: any) => m.name === 'postings').rebuilding ? res : null;
      });
      expect(during.status).toBe(200);
      expect((await apiCall(service.url, 'GET', '/health')).status).toBe(200);
      expect((await list()).body).toEqual(first.body);
      const report = (await rebuilding).body.readModels.find((m: any) => m.name === 'postings');
      expect(report.rows).toBe(POSTINGS);
      expect(report.events).toBe(POSTINGS * 6);
      expect((await list()).body).toEqual(first.body);
      const again = await apiCall(service.url, 'POST', '/api/projections/rebuild', undefined, service.auth);
      expect(again.body.readModels.find((m: any) => m.name === 'postings').digest).toBe(report.digest);
      const metrics = await apiCall(service.url, 'GET', '/metrics');
      expect(metrics.text).toContain(`mlc_postings{status="posted"} ${POSTINGS}`);
    } finally {
      await service.close();
    }
  }, 120_000);

  it('SIGTERM during the catch-up ends the process at once', async () => {
    const fresh = tempDataDir('mlc-sigterm-');
    writeHistory(join(fresh, 'ml-connector.db'), { postings: POSTINGS });
    const child = await spawnService(testEnv(fresh, { LOG_LEVEL: 'info' }));
    try {
      const ready = await apiCall(child.url, 'GET', '/health/ready');
      expect(ready.status).toBe(503); // still catching up
      const sent = Date.now();
      const exited = new Promise<number | null>((done) => child.process.once('exit', (code) => done(code)));
      child.process.kill('SIGTERM');
      const code = await exited;
      expect(code === 0 || code === null).toBe(true);
      // The catch-up alone takes seconds here; a shutdown that waited for it would take as long.
      expect(Date.now() - sent).toBeLessThan(5000);
    } finally {
      await child.kill('SIGKILL');
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);
});
