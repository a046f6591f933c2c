/**
 * Two service instances (two child processes) on one SQLite file, each subscribed to Gusto's webhooks, so
 * every event reaches both, twice (the sandbox's `duplicates` knob). Midway, Gusto's clock jumps past the
 * access tokens' 2 h lifetime, so both instances need a refresh at the same moment.
 * → each payroll exactly one journal; no invalid_grant at Gusto or Acumatica (sandbox counters); both
 * instances see every posting as posted; connections stay connected.
 */
import {
  api,
  connectCompanies,
  findSecrets,
  seenResponses,
  sleep,
  startSandboxes,
  tempDir,
  waitUntil,
  type Company,
  type Sandboxes,
} from '../../bench/support/harness';
import {
  secretsOfRun,
  postingOf,
  recordingProxy,
  RestartableService,
  SCALE,
  type RecordingProxy,
  stopAll,
} from './support';

describe(`two instances on one store: ${SCALE.twoInstancePayrolls} payrolls, every webhook to both, twice`, () => {
  let sb: Sandboxes;
  let proxy: RecordingProxy;
  let a: RestartableService;
  let b: RestartableService;
  let dataDir: string;
  let companies: Company[];
  const payrolls: Array<{ uuid: string; company: Company }> = [];

  beforeAll(async () => {
    sb = await startSandboxes({ gusto: { seed: 71, rateLimit: { requests: 10_000, windowMs: 60_000 } } });
    proxy = await recordingProxy(sb.gusto.url);
    dataDir = tempDir('mlc-two-');
    a = await RestartableService.create(dataDir, proxy.url);
    b = await RestartableService.create(dataDir, proxy.url);
    sb.gusto.scenario.createSubscription({ url: `${a.url}/webhooks/gusto` });
    sb.gusto.scenario.createSubscription({ url: `${b.url}/webhooks/gusto` });
    companies = await connectCompanies(a, sb, 3, 'Twin Co', 3);
    sb.gusto.knobs.webhook.duplicates = 1;
  }, 180_000);

  afterAll(() => stopAll([a, b], [proxy, sb], dataDir));

  it(
    'no double posting, no invalid_grant',
    async () => {
      const half = Math.floor(SCALE.twoInstancePayrolls / 2);
      let acumaticaTokenCallsBefore = 0;
      for (let i = 0; i < SCALE.twoInstancePayrolls; i++) {
        if (i === half) {
          // Both instances hold tokens Gusto now considers expired: the next calls get 401 and refresh.
          await waitUntil(
            () => payrolls.every((p) => sb.acumatica.records.journalsTagged(`gusto:${p.uuid}`).length > 0),
            60_000,
            50,
          );
          sb.gusto.clock.advance(2 * 3600_000 + 60_000);
          sb.acumatica.clock.advance(3600_000 + 60_000); // Acumatica's 1 h tokens too
          acumaticaTokenCallsBefore = sb.acumatica.stats.tokenCalls;
        }
        const company = companies[i % companies.length]!;
        const p = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 3 });
        payrolls.push({ uuid: p.uuid, company });
        // Bursts: one payroll per company at once, so both instances work on the same moment.
        if (i % companies.length === companies.length - 1) await sleep(50);
      }
      await waitUntil(
        async () => {
          for (const p of payrolls) {
            if (sb.acumatica.records.journalsTagged(`gusto:${p.uuid}`).length === 0) return false;
            if ((await postingOf(a, p.company.connectionId, p.uuid))?.status !== 'posted') return false;
          }
          return true;
        },
        120_000,
        250,
      );
      await sb.gusto.scenario.webhooksIdle();
      await sleep(1_500);

      const wrong: string[] = [];
      for (const p of payrolls) {
        const journals = sb.acumatica.records.journalsTagged(`gusto:${p.uuid}`).length;
        const seenByA = (await postingOf(a, p.company.connectionId, p.uuid))?.status;
        const seenByB = await waitUntil(
          async () => (await postingOf(b, p.company.connectionId, p.uuid))?.status === 'posted',
          10_000,
          100,
        );
        if (journals !== 1 || seenByA !== 'posted' || !seenByB)
          wrong.push(`${p.uuid}: journals=${journals} A=${seenByA} B=${seenByB ? 'posted' : 'not posted'}`);
      }
      expect(wrong).toEqual([]);

      // Every event reached both instances (and each answered 2xx to at least one copy).
      const payrollEvents = sb.gusto.events.filter((e) => e.event_type === 'payroll.processed').map((e) => e.uuid);
      for (const url of [a.url, b.url]) {
        const ok = new Set(
          sb.gusto.deliveries
            .filter((d) => d.url.startsWith(url) && typeof d.status === 'number' && d.status < 300)
            .map((d) => d.eventUuid),
        );
        expect(payrollEvents.filter((uuid) => !ok.has(uuid))).toEqual([]);
      }

      // Tokens: Gusto refreshed (the clock jump forced it) and never answered invalid_grant; Acumatica neither.
      expect(sb.gusto.stats.refreshCalls).toBeGreaterThan(0);
      expect(sb.gusto.stats.invalidGrants).toBe(0);
      expect(sb.acumatica.stats.tokenCalls).toBeGreaterThan(acumaticaTokenCallsBefore); // new Acumatica tokens after the jump
      expect(sb.acumatica.requests.filter((r) => r.path === '/identity/connect/token' && r.status === 400)).toEqual([]);
      for (const c of companies) {
        for (const svc of [a, b]) {
          const conn = await api(svc, 'GET', `/api/connections/${c.connectionId}`);
          expect(conn.body.gusto.status).toBe('connected');
        }
      }
      expect(sb.gusto.nonGetDataRequests()).toEqual([]);
    },
    10 * 60_000,
  );

  it('no secret in any log line or admin API answer of the run', () => {
    const secrets = secretsOfRun(proxy);
    expect(proxy.tokens.size).toBeGreaterThan(0);
    expect(findSecrets([...a.lines(), ...b.lines(), ...seenResponses], secrets)).toEqual([]);
  });
});
