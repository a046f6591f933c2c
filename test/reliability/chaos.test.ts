/**
 * Chaos: payrolls across companies while the service (a child process on one SQLite file) is SIGKILLed
 * at random moments and restarted, and the sandboxes inject 429 / 500 / timeouts / commit-then-drop.
 * Gusto also delivers every webhook twice, batches in reverse order. Every payroll must end with exactly one journal in Acumatica (counted by its tag), none lost, and a
 * complete audit trail (PostingRequested → … → PayrollPosted). No backfill poll runs: recovery is the
 * webhook retries, the inbox and the posting scheduler's resume.
 * Full: 100 payrolls, 10 companies, 10 kills. RELIABILITY_SCALE=small: 20 payrolls, 5 companies, 3 kills.
 */
import {
  MAPPING,
  connectCompanies,
  findSecrets,
  removeDir,
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
  seeded,
  trailOf,
  type RecordingProxy,
} from './support';

const RELEASING = { ...MAPPING, journal: { ...MAPPING.journal, release: true } };
const releases = (companies: Company[], company: Company): boolean => companies.indexOf(company) % 2 === 1;

describe(`chaos: ${SCALE.payrolls} payrolls, ${SCALE.kills} SIGKILLs, injected faults`, () => {
  let sb: Sandboxes;
  let proxy: RecordingProxy;
  let service: RestartableService;
  let dataDir: string;
  let companies: Company[];
  const payrolls: Array<{ uuid: string; company: Company }> = [];
  const injected: string[] = [];
  const kills: number[] = [];

  beforeAll(async () => {
    sb = await startSandboxes({ gusto: { seed: 31, rateLimit: { requests: 10_000, windowMs: 60_000 } } });
    sb.gusto.knobs.webhook.retryBaseMs = 100;
    sb.gusto.knobs.webhook.duplicates = 1; // every event delivered twice
    sb.gusto.knobs.webhook.reorder = true; // a batch (same tick) in reverse order
    sb.acumatica.knobs.timeoutHoldMs = 500;
    proxy = await recordingProxy(sb.gusto.url);
    dataDir = tempDir('mlc-chaos-');
    service = await RestartableService.create(dataDir, proxy.url, {
      RETRY_BASE_MS: '50',
      RETRY_CAP_MS: '1000',
      RETRY_MAX_ATTEMPTS: '10',
    });
    sb.gusto.scenario.createSubscription({ url: `${service.url}/webhooks/gusto` });
    // Every other company releases its journals too (a third Acumatica call, with its own faults).
    companies = await connectCompanies(service, sb, SCALE.companies, 'Chaos Co', 5, (i) =>
      i % 2 === 1 ? RELEASING : MAPPING,
    );
  }, 180_000);

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await proxy?.close();
    await sb?.close();
    if (dataDir) removeDir(dataDir);
  });

  it(
    'every payroll ends with exactly one journal and a complete audit trail',
    async () => {
      const rnd = seeded();
      const spanMs = SCALE.kills * 4_000;
      const interval = Math.max(50, Math.floor(spanMs / SCALE.payrolls));

      const faults: Array<[string, () => void]> = [
        ['acumatica PUT 429×2', () => sb.acumatica.knobs.failNext('PUT', '/JournalTransaction', 2, 429)],
        ['acumatica PUT 500', () => sb.acumatica.knobs.failNext('PUT', '/JournalTransaction', 1, 500)],
        ['acumatica PUT timeout', () => sb.acumatica.knobs.failNext('PUT', '/JournalTransaction', 1, 'timeout')],
        [
          'acumatica PUT commit_then_drop',
          () => sb.acumatica.knobs.failNext('PUT', '/JournalTransaction', 1, 'commit_then_drop'),
        ],
        ['acumatica lookup 500', () => sb.acumatica.knobs.failNext('GET', '/JournalTransaction', 1, 500)],
        ['acumatica lookup 429', () => sb.acumatica.knobs.failNext('GET', '/JournalTransaction', 1, 429)],
        ['acumatica lookup timeout', () => sb.acumatica.knobs.failNext('GET', '/JournalTransaction', 1, 'timeout')],
        [
          'acumatica release 500',
          () => sb.acumatica.knobs.failNext('POST', '/JournalTransaction/ReleaseJournalTransaction', 1, 500),
        ],
        [
          'acumatica release commit_then_drop',
          () =>
            sb.acumatica.knobs.failNext('POST', '/JournalTransaction/ReleaseJournalTransaction', 1, 'commit_then_drop'),
        ],
        ['acumatica release poll timeout', () => sb.acumatica.knobs.failNext('GET', '*/status/*', 1, 'timeout')],
        ['gusto payroll 500', () => sb.gusto.knobs.failNext('/payrolls/', 1, 500)],
        ['gusto payroll 429', () => sb.gusto.knobs.failNext('/payrolls/', 1, 429)],
        ['gusto employees 503', () => sb.gusto.knobs.failNext('/employees', 1, 503)],
      ];

      const producer = (async () => {
        for (let i = 0; i < SCALE.payrolls; i++) {
          if (rnd.next() < 0.35) {
            const [name, inject] = rnd.pick(faults);
            inject();
            injected.push(name);
          }
          const company = companies[i % companies.length]!;
          const p = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 3 });
          payrolls.push({ uuid: p.uuid, company });
          await sleep(interval);
        }
      })();
      const killer = (async () => {
        for (let k = 0; k < SCALE.kills; k++) {
          await sleep(rnd.int(300, 2_500));
          kills.push(Date.now());
          await service.restart(); // SIGKILL, then start again on the same port and file
        }
      })();
      await Promise.all([producer, killer]);
      expect(service.alive()).toBe(true);
      expect(service.starts).toBe(SCALE.kills + 1);

      // Let it finish: every payroll posted (or stuck, which the assertions below report).
      const settled = await waitUntil(
        async () => {
          for (const p of payrolls) {
            if (sb.acumatica.records.journalsTagged(`gusto:${p.uuid}`).length === 0) return false;
            const posting = await postingOf(service, p.company.connectionId, p.uuid);
            if (posting?.status !== 'posted') return false;
          }
          return true;
        },
        SCALE.payrolls * 1_500 + 60_000,
        500,
      );
      await sleep(1_500); // any late duplicate would show now

      const report: string[] = [];
      for (const p of payrolls) {
        const tagged = sb.acumatica.records.journalsTagged(`gusto:${p.uuid}`);
        const journals = tagged.length;
        const posting = await postingOf(service, p.company.connectionId, p.uuid);
        const trail = await trailOf(service, p.company.connectionId, p.uuid);
        const release = releases(companies, p.company);
        const complete =
          trail[0] === 'PostingRequested' &&
          trail[trail.length - 1] === 'PayrollPosted' &&
          (!release || trail.includes('JournalReleased'));
        const status = String(tagged[0]?.Status ?? '');
        const statusOk = release ? status === 'Posted' : status === 'Balanced' || status === 'On Hold';
        if (journals !== 1 || posting?.status !== 'posted' || !complete || !statusOk) {
          report.push(
            `${p.uuid}: journals=${journals} acumaticaStatus=${status} release=${release} status=${posting?.status ?? 'none'} lastError=${JSON.stringify(posting?.lastError ?? null)} trail=${trail.join('>')}`,
          );
        }
      }
      const counts: Record<string, number> = {};
      for (const name of injected) counts[name] = (counts[name] ?? 0) + 1;
      process.stderr.write(
        `chaos: ${payrolls.length} payrolls, ${service.starts} starts, faults ${JSON.stringify(counts)}, Acumatica requests ${sb.acumatica.requests.length} (${sb.acumatica.requests.filter((r) => r.fault).length} faulted)\n`,
      );
      if (report.length > 0 || !settled) {
        process.stderr.write(
          `chaos: injected ${injected.join(', ')}\nchaos: ${report.length} of ${payrolls.length} payrolls wrong:\n${report.join('\n')}\n`,
        );
      }
      expect(payrolls).toHaveLength(SCALE.payrolls);
      expect(report).toEqual([]);
      expect(sb.gusto.nonGetDataRequests()).toEqual([]); // never a write to Gusto
      expect(injected.length).toBeGreaterThan(0);
    },
    30 * 60_000,
  );

  it('no secret in any log line or admin API answer of the run', () => {
    const lines = service.lines();
    expect(lines.length).toBeGreaterThan(0);
    expect(proxy.tokens.size).toBeGreaterThan(0); // Gusto tokens were issued and used
    const secrets = secretsOfRun(proxy);
    expect(findSecrets([...lines, ...seenResponses], secrets)).toEqual([]);
  });
});
