/**
 * A start on a long history: /health (liveness) answers while the read models catch up, /health/ready
 * says what is catching up until they are live, and SIGTERM is honoured during the catch-up.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeHistory } from '../../../bench/support/history';
import { apiCall, spawnService, startService, tempDataDir, testEnv, type TestService } from '../../support/service';
import { waitFor } from '../../support/wait';

const POSTINGS = 3000; // 24,000 events, ~30 MB

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

      const ready = await waitFor('ready', async () => {
        const res = await apiCall(service!.url, 'GET', '/health/ready');
        return res.status === 200 ? res : null;
      }, 120_000);
      expect(ready.body.status).toBe('ready');
      expect(ready.body.readModels.find((m: any) => m.name === 'postings')).toMatchObject({ live: true, behind: '0' });
      const metrics = await apiCall(service.url, 'GET', '/metrics');
      expect(metrics.text).toContain(`mlc_postings{status="posted"} ${POSTINGS}`);
      const page = await apiCall(service.url, 'GET', '/api/postings?limit=2', undefined, service.auth);
      expect(page.body.items).toHaveLength(2);
    } finally {
      await service?.close();
    }
  }, 180_000);

  it('SIGTERM during the catch-up ends the process at once', async () => {
    const child = await spawnService(testEnv(dataDir, { LOG_LEVEL: 'info' }));
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
    }
  }, 60_000);
});
