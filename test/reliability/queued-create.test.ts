/**
 * Issue #12: exactly once whatever Acumatica's licence queue does. Acumatica may hold a create for up to
 * ACUMATICA_QUEUE_LIMIT_S before carrying it out; a lookup meanwhile finds nothing. Small settings keep the
 * run short: RETRY_BASE_MS=20 (the old create lease was RETRY_BASE_MS × 60 = 1.2 s, and a posting untouched
 * that long is picked up by any instance's sweep), ACUMATICA_QUEUE_LIMIT_S=5, creates held 3 s.
 * Real child processes on one SQLite file, real HTTP against the sandboxes.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  api,
  connectCompany,
  removeDir,
  sleep,
  startSandboxes,
  tempDir,
  waitUntil,
  type Company,
  type Sandboxes,
} from '../../bench/support/harness';
import { postingId, RestartableService, trailOf, stopAll } from './support';

const QUEUE_LIMIT_S = 5;
const HOLD_MS = 3_000; // longer than the old lease (1.2 s), shorter than the queue limit
const quick = { RETRY_BASE_MS: '20', RETRY_CAP_MS: '500', ACUMATICA_QUEUE_LIMIT_S: String(QUEUE_LIMIT_S) };

/** Journal creates that reached Acumatica (each PUT without a key inserts). */
const createsOf = (sb: Sandboxes) =>
  sb.acumatica.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/JournalTransaction'));
const viewOf = async (svc: RestartableService, company: Company, payrollUuid: string) =>
  (await api(svc, 'GET', `/api/postings/${postingId(company.connectionId, payrollUuid)}`)).body;
const postedOn = (svc: RestartableService, company: Company, payrollUuid: string, timeoutMs: number) =>
  waitUntil(
    async () => {
      const view = await viewOf(svc, company, payrollUuid).catch(() => null);
      return view?.status === 'posted' ? view : null;
    },
    timeoutMs,
    50,
  );

describe("a create held in Acumatica's licence queue: two instances", () => {
  let sb: Sandboxes;
  let a: RestartableService;
  let b: RestartableService;
  let dataDir: string;
  let company: Company;

  beforeAll(async () => {
    sb = await startSandboxes();
    dataDir = tempDir('mlc-queued-');
    a = await RestartableService.create(dataDir, sb.gusto.url, quick);
    b = await RestartableService.create(dataDir, sb.gusto.url, quick);
    company = await connectCompany(a, sb, 'Queue Co');
    // Webhooks reach A only: A claims and creates; B learns of the posting from the shared log (its sweep).
    sb.gusto.scenario.createSubscription({ url: `${a.url}/webhooks/gusto` });
  }, 120_000);

  afterAll(() => stopAll([a, b], [sb], dataDir));

  it('the create held longer than the old lease: one journal, one inserting PUT, both instances show the same batch', async () => {
    sb.acumatica.knobs.holdNextCreate(HOLD_MS);
    const putsBefore = createsOf(sb).length;
    const payroll = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 3 });
    expect(await waitUntil(() => sb.acumatica.knobs.heldCreates() === 1, 20_000, 20)).toBe(true);
    // While the create is held: past the old lease, the other instance must not create (it may look).
    await sleep(HOLD_MS + 500);
    expect(await waitUntil(() => sb.acumatica.knobs.heldCreates() === 0, 10_000, 20)).toBe(true);
    const onA = await postedOn(a, company, payroll.uuid, (QUEUE_LIMIT_S + 10) * 1000);
    const onB = await postedOn(b, company, payroll.uuid, 10_000);
    await sleep(500); // anything still in flight would land now
    const journals = sb.acumatica.records.journalsTagged(`gusto:${payroll.uuid}`);
    expect(journals).toHaveLength(1);
    expect(createsOf(sb).length - putsBefore).toBe(1);
    expect(onA?.acumatica.batchNbr).toBe(journals[0]!.BatchNbr);
    expect(onB?.acumatica.batchNbr).toBe(journals[0]!.BatchNbr);
    // B looked while the create was held (and found nothing), yet did not create; A's answer was recorded.
    const trail = await trailOf(b, company.connectionId, payroll.uuid);
    expect(trail).toContain('QueuedCreateAwaited');
    expect(trail.filter((t) => t === 'JournalCreationStarted')).toHaveLength(1);
    expect(trail.slice(-2)).toEqual(['JournalCreated', 'PayrollPosted']);
  }, 60_000);

  it('the instance whose create is held is SIGKILLed and restarted: one journal, one inserting PUT, found by the lookup', async () => {
    sb.acumatica.knobs.holdNextCreate(HOLD_MS);
    const putsBefore = createsOf(sb).length;
    const payroll = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 3 });
    expect(await waitUntil(() => sb.acumatica.knobs.heldCreates() === 1, 20_000, 20)).toBe(true);
    await a.kill('SIGKILL');
    await sleep(1_500); // past the old lease before A is back
    await a.start();
    expect(await waitUntil(() => sb.acumatica.knobs.heldCreates() === 0, 10_000, 20)).toBe(true);
    const onA = await postedOn(a, company, payroll.uuid, (QUEUE_LIMIT_S + 10) * 1000);
    const onB = await postedOn(b, company, payroll.uuid, 10_000);
    await sleep(500);
    const journals = sb.acumatica.records.journalsTagged(`gusto:${payroll.uuid}`);
    expect(journals).toHaveLength(1);
    expect(createsOf(sb).length - putsBefore).toBe(1);
    expect(onA?.acumatica.batchNbr).toBe(journals[0]!.BatchNbr);
    expect(onB?.acumatica.batchNbr).toBe(journals[0]!.BatchNbr);
    const trail = await trailOf(a, company.connectionId, payroll.uuid);
    expect(trail).toContain('ExistingJournalFound');
    expect(trail).not.toContain('JournalCreated');
  }, 60_000);
});

/** In front of the Acumatica sandbox: while `swallowCreates`, a journal create is accepted and never forwarded. */
interface AcumaticaProxy {
  url: string;
  swallowCreates: boolean;
  swallowed: number;
  close(): Promise<void>;
}

async function acumaticaProxy(target: string): Promise<AcumaticaProxy> {
  const upstream = new URL(target);
  const state: AcumaticaProxy = { url: '', swallowCreates: false, swallowed: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.swallowCreates && req.method === 'PUT' && /\/JournalTransaction(\?|$)/.test(req.url ?? '')) {
        state.swallowed++;
        return; // never forwarded, never answered: Acumatica never hears of it
      }
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

describe('a claim whose create never reached Acumatica (SIGKILL between claim and send)', () => {
  let sb: Sandboxes;
  let proxy: AcumaticaProxy;
  let c: RestartableService;
  let dataDir: string;
  let company: Company;
  // RETRY_BASE_MS=200: the old lease (and the stalled-posting sweep) would be 12 s, well apart from the 5 s limit.
  const slow = { ...quick, RETRY_BASE_MS: '200', RETRY_CAP_MS: '2000' };

  beforeAll(async () => {
    sb = await startSandboxes();
    proxy = await acumaticaProxy(sb.acumatica.url);
    dataDir = tempDir('mlc-unsent-');
    c = await RestartableService.create(dataDir, sb.gusto.url, slow);
    company = await connectCompany(c, { gusto: sb.gusto, acumatica: { url: proxy.url } } as Sandboxes, 'Unsent Co');
    sb.gusto.scenario.createSubscription({ url: `${c.url}/webhooks/gusto` });
  }, 120_000);

  afterAll(async () => {
    await c?.stop().catch(() => undefined);
    await proxy?.close();
    await sb?.close();
    if (dataDir) removeDir(dataDir);
  });

  it('is looked up at once after the restart, and created only once the queue limit has passed since the claim', async () => {
    proxy.swallowCreates = true;
    const payroll = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 2 });
    expect(await waitUntil(() => proxy.swallowed === 1, 20_000, 10)).toBe(true);
    await c.kill('SIGKILL');
    proxy.swallowCreates = false;
    const lookupsBefore = sb.acumatica.requests.filter(
      (r) => r.method === 'GET' && /JournalTransaction$/.test(r.path),
    ).length;
    await c.start();
    const restartedAt = Date.now();

    const events = (await api(c, 'GET', `/api/postings/${postingId(company.connectionId, payroll.uuid)}/events`)).body
      .items as Array<{ type: string; data: any }>;
    const claim = events.find((e) => e.type === 'JournalCreationStarted')!;
    const sentAt = Date.parse(claim.data.sentAt);
    const mayCommitUntil = Date.parse(claim.data.mayCommitUntil);
    expect(mayCommitUntil - sentAt).toBeGreaterThanOrEqual(QUEUE_LIMIT_S * 1000);

    // Looked up at once: no lease to wait out.
    const looked = await waitUntil(
      () =>
        sb.acumatica.requests.filter((r) => r.method === 'GET' && /JournalTransaction$/.test(r.path)).length >
        lookupsBefore,
      5_000,
      10,
    );
    expect(looked).toBe(true);
    expect(Date.now() - restartedAt).toBeLessThan(3_000);
    expect(sb.acumatica.records.journalsTagged(`gusto:${payroll.uuid}`)).toHaveLength(0);

    // While it waits, the view says for what and until when.
    const waiting = await waitUntil(async () => (await viewOf(c, company, payroll.uuid))?.waiting, 5_000, 50);
    expect(waiting).toMatchObject({ for: 'queued_create', until: claim.data.mayCommitUntil });

    const posted = await postedOn(c, company, payroll.uuid, (QUEUE_LIMIT_S + 15) * 1000);
    const journals = sb.acumatica.records.journalsTagged(`gusto:${payroll.uuid}`);
    expect(journals).toHaveLength(1);
    expect(posted?.acumatica.batchNbr).toBe(journals[0]!.BatchNbr);
    const creates = createsOf(sb);
    expect(creates).toHaveLength(1);
    // Created only after the limit: the sandbox clock is real time here (never advanced).
    expect(Date.parse(creates[0]!.time)).toBeGreaterThanOrEqual(mayCommitUntil);
    const trail = await trailOf(c, company.connectionId, payroll.uuid);
    expect(trail.filter((t) => t === 'JournalCreationStarted')).toHaveLength(2);
    expect(trail).toContain('QueuedCreateAwaited');
    expect(trail.slice(-2)).toEqual(['JournalCreated', 'PayrollPosted']);
  }, 90_000);
});
