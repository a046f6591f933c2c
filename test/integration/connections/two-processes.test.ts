import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { TEST_ENCRYPTION_KEY } from '../../support/service';
import { connectedWorld, GUSTO_CLIENT_ID, GUSTO_CLIENT_SECRET, type World } from './harness';

const run = promisify(execFile);
const TSX = resolve(__dirname, '../../../node_modules/.bin/tsx');
const WORKER = join(__dirname, 'token-worker.ts');

interface WorkerReport {
  fulfilled: number;
  errors: string[];
  distinctTokens: number;
  generations: number[];
  tokenInfoStatus?: number;
  tokenFingerprint?: string;
  lost: string[];
}

describe('Gusto refresh across two OS processes sharing one SQLite file', () => {
  let world: World & { connectionId: string; companyUuid: string };
  afterEach(async () => world?.close());

  it('at expiry, two processes × 10 concurrent callers cause exactly one refresh and no invalid_grant', async () => {
    world = await connectedWorld();
    world.clock.advance(2 * 3600_000);
    const env = {
      ...process.env,
      DB_FILE: join(world.service.dataDir, 'ml-connector.db'),
      KEY: TEST_ENCRYPTION_KEY,
      GUSTO_URL: world.gusto.url,
      CLIENT_ID: GUSTO_CLIENT_ID,
      CLIENT_SECRET: GUSTO_CLIENT_SECRET,
      COMPANY: world.companyUuid,
      CLOCK_OFFSET_MS: String(world.clock.offsetMs),
      START_AT: String(Date.now() + 6000),
      CALLS: '10',
    };
    const outputs = await Promise.all([1, 2].map(() => run(TSX, [WORKER], { env, timeout: 45_000 })));
    const reports = outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!) as WorkerReport);
    for (const report of reports) {
      expect(report).toMatchObject({
        fulfilled: 10,
        errors: [],
        distinctTokens: 1,
        generations: [2],
        tokenInfoStatus: 200,
        lost: [],
      });
    }
    expect(reports[0].tokenFingerprint).toBe(reports[1].tokenFingerprint);
    expect(world.gusto.stats.refreshCalls).toBe(1);
    expect(world.gusto.stats.invalidGrants).toBe(0);
    const stream = await world.service.app
      .get<EventStore>(EVENT_STORE)
      .readStream(`gusto-credentials-${world.companyUuid}`);
    expect(stream.map((e) => e.type)).toEqual(['GustoTokensIssued', 'RefreshLeaseTaken', 'TokensRotated']);
    // The service itself (a third process-like participant) picks up the rotated pair without refreshing.
    const ping = await world.api('POST', `/api/connections/${world.connectionId}/ping`);
    expect(ping.body.gusto.ok).toBe(true);
    expect(world.gusto.stats.refreshCalls).toBe(1);
  }, 60_000);
});
