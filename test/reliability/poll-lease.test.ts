/**
 * Issue #12: one backfill poll per connection per round across instances. Two service processes on one
 * SQLite file, both with the scheduled poll every 2 s, and `POST /api/connections/:id/sync` sent to both at
 * the same moment. The measure is Gusto's own request log: payroll-list requests per company.
 * → per company, at most one of the two simultaneous syncs runs (the other answers 202 busy); the number of
 * payroll lists is at most one per cron round plus the syncs that ran; the lease stream shows claims and
 * releases strictly alternating, each cron round claimed once.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { pollLeaseStream } from '../../src/application/inbox/poll-lease';
import {
  api,
  connectCompanies,
  sleep,
  startSandboxes,
  tempDir,
  type Company,
  type Sandboxes,
} from '../../bench/support/harness';
import { RestartableService, stopAll } from './support';

const ROUND_MS = 2_000; // POLL_CRON below
const OBSERVE_MS = 9_000;
const PAYROLL_LIST = /^\/v1\/companies\/([^/]+)\/payrolls$/;

describe('poll lease: two instances, scheduled poll every 2 s and simultaneous syncs', () => {
  let sb: Sandboxes;
  let a: RestartableService;
  let b: RestartableService;
  let dataDir: string;
  let companies: Company[];

  beforeAll(async () => {
    sb = await startSandboxes({ gusto: { seed: 12, rateLimit: { requests: 10_000, windowMs: 60_000 } } });
    dataDir = tempDir('mlc-lease-');
    const env = { POLL_CRON: '*/2 * * * * *' };
    a = await RestartableService.create(dataDir, sb.gusto.url, env);
    b = await RestartableService.create(dataDir, sb.gusto.url, env);
    companies = await connectCompanies(a, sb, 2, 'Lease Co', 2);
  }, 180_000);

  afterAll(() => stopAll([a, b], [sb], dataDir));

  it('one poll per connection per round, counted at Gusto', async () => {
    // Start counting just after a round's polls (an odd second), so no poll straddles the start.
    while (Date.now() % ROUND_MS < 1_000 || Date.now() % ROUND_MS > 1_300) await sleep(20);
    const t0 = Date.now();
    // Gusto answers in 250 ms, so two syncs sent together surely overlap (a poll is otherwise ~30 ms here).
    sb.gusto.knobs.latencyMs = 250;
    await sleep(500);

    const syncs = await Promise.all(
      companies.flatMap((c) =>
        [a, b].map(async (svc) => ({
          company: c.companyUuid,
          answer: await api(svc, 'POST', `/api/connections/${c.connectionId}/sync`),
        })),
      ),
    );
    await sleep(OBSERVE_MS);
    const t1 = Date.now();

    // The simultaneous syncs: at most one ran per company; every other answer is 202 "busy", naming why.
    const ran = new Map<string, number>();
    for (const { company, answer } of syncs) {
      if (answer.status === 200) ran.set(company, (ran.get(company) ?? 0) + 1);
      else {
        expect(answer.status).toBe(202);
        expect(answer.body).toMatchObject({ status: 'busy' });
        expect(['running_here', 'running_elsewhere']).toContain(answer.body.busy);
      }
    }
    for (const c of companies) expect(ran.get(c.companyUuid) ?? 0).toBeLessThanOrEqual(1);
    // The instance that lost answered so because the OTHER instance held the lease.
    for (const c of companies)
      expect(
        syncs.filter((x) => x.company === c.companyUuid && x.answer.body.busy === 'running_elsewhere').length,
      ).toBeGreaterThanOrEqual(1);
    for (const { answer } of syncs.filter((x) => x.answer.body.busy === 'running_elsewhere'))
      expect(answer.body.heldBy).toEqual(expect.any(String));

    // Gusto's count: payroll lists per company within [t0, t1] ≤ cron rounds in it + the sync that ran.
    const rounds = Math.floor(t1 / ROUND_MS) - Math.ceil(t0 / ROUND_MS) + 1;
    const lists = new Map<string, number>();
    for (const r of sb.gusto.requests) {
      const m = PAYROLL_LIST.exec(r.path);
      const at = Date.parse(r.time);
      if (r.method === 'GET' && m && at >= t0 && at <= t1) lists.set(m[1]!, (lists.get(m[1]!) ?? 0) + 1);
    }
    const perCompany = companies.map((c) => ({
      company: c.companyUuid,
      lists: lists.get(c.companyUuid) ?? 0,
      bound: rounds + (ran.get(c.companyUuid) ?? 0),
    }));
    for (const row of perCompany) {
      expect(row.lists).toBeLessThanOrEqual(row.bound);
      expect(row.lists).toBeGreaterThanOrEqual(Math.floor(rounds / 2)); // the scheduled poll did run (load may cost a round or two)
    }

    // Both instances took part: the cron loser of each round answered busy or round_done.
    const busyCron = async (svc: RestartableService): Promise<number> => {
      const text = (await api(svc, 'GET', '/metrics')).text;
      return [...text.matchAll(/^mlc_polls_total\{([^}]*)\} (\d+)/gm)]
        .filter((m) => /trigger="cron"/.test(m[1]!) && /result="busy"/.test(m[1]!))
        .reduce((n, m) => n + Number(m[2]), 0);
    };
    expect((await busyCron(a)) + (await busyCron(b))).toBeGreaterThan(0);

    // The lease streams: claim, release, claim, release… (never two holders at once), no cron round twice.
    const store = new SqliteEventStore(join(dataDir, 'ml-connector.db'));
    try {
      for (const c of companies) {
        const events = await store.readStream(pollLeaseStream(c.connectionId));
        const types = events.map((e) => e.type);
        const expected = types.map((_, i) => (i % 2 === 0 ? 'PollLeaseClaimed' : 'PollLeaseReleased'));
        expect(types.slice(0, -1)).toEqual(expected.slice(0, -1)); // the last may be a claim still running
        const claims = events
          .filter((e) => e.type === 'PollLeaseClaimed')
          .map((e) => e.data as { holder: string; trigger: string; round?: string; previousHolder?: string });
        const cronRounds = claims.filter((x) => x.trigger === 'cron').map((x) => x.round);
        expect(new Set(cronRounds).size).toBe(cronRounds.length);
        expect(claims.filter((x) => x.previousHolder)).toEqual([]); // no lease lapsed: every holder released
      }
    } finally {
      await store.close();
    }
    console.log(JSON.stringify({ rounds, syncsRan: Object.fromEntries(ran), perCompany }));
  }, 120_000);
});
