import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startService } from '../../support/service';
import {
  acumaticaCalls,
  journalsOf,
  postingIdOf,
  postingWithStatus,
  postingWorld,
  reversalsOf,
  specMapping,
  waitFor,
  type PostingWorld,
} from './support';

describe('posting e2e: reversal payrolls, cancellation before posting, metrics', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('payroll.reversed posts the reversal payroll Gusto lists, as its own journal', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    await postingWithStatus(world, payroll.uuid, 'posted');
    const reversal = world.gusto.scenario.reversePayroll(payroll.uuid);
    const posting = await postingWithStatus(world, reversal.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    expect(journalsOf(world, reversal.uuid)).toHaveLength(1);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, reversal.uuid)}/events`);
    expect(trail.body.items[0].data.trigger).toBe('webhook');
  });

  it('exposes postings by status and the webhook-to-posted latency on /metrics', async () => {
    const text = await (await fetch(`${world.service.url}/metrics`)).text();
    expect(text).toMatch(/mlc_postings_total\{status="posted"\} [1-9]/);
    expect(text).toMatch(/mlc_webhook_to_posted_seconds_count [1-9]/);
    expect(text).toMatch(/mlc_postings\{status="posted"\} [1-9]/);
    expect(text).toMatch(/mlc_postings\{status="needs_attention"\} 0/);
  });
});

describe('posting e2e: cancellation before posting', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    const mapping = specMapping();
    delete mapping.accounts.netPay;
    world = await postingWorld({ mapping });
  });
  afterAll(async () => world?.close());

  it('a blocked posting whose payroll is cancelled is cancelled: no journal, ever', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
    await postingWithStatus(world, payroll.uuid, 'needs_attention');
    world.gusto.scenario.cancelPayroll(payroll.uuid);
    const cancelled = await postingWithStatus(world, payroll.uuid, 'cancelled');
    expect(cancelled.acumatica).toEqual({});
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, specMapping())).status).toBe(200);
    const replay = await world.api('POST', `/api/postings/${postingIdOf(world, payroll.uuid)}/replay`);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toBe('posting_cancelled');
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);
    expect(reversalsOf(world, payroll.uuid)).toHaveLength(0);
  });
});

/** A second service on the data folder of the first (the first must have been closed). */
const restartOn = (world: PostingWorld, dataDir: string) =>
  startService({
    dataDir,
    clock: world.clock,
    env: {
      GUSTO_API_BASE_URL: world.gusto.url,
      GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
      RETRY_BASE_MS: '20',
    },
  });

describe('posting e2e: a restart resumes postings from the log', () => {
  it('a retry scheduled in the log (AttemptFailed.nextAttemptAt) is carried out by the next start', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-posting-retry-'));
    const world = await postingWorld({ service: { dataDir, keepData: true, env: { RETRY_BASE_MS: '5000' } } });
    try {
      world.acumatica.knobs.failNext('GET', 'JournalTransaction', 6, 500); // outlasts the client's own retries
      const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
      const failed = await postingWithStatus(world, payroll.uuid, 'failed');
      expect(failed.nextAttemptAt).toEqual(expect.any(String));
      await world.service.close();
      world.acumatica.knobs.clearFaults();

      const restarted = await restartOn(world, dataDir);
      try {
        const posting = await waitFor(
          'posted after restart',
          async () => {
            const body = (await fetch(`${restarted.url}/api/postings/${postingIdOf(world, payroll.uuid)}`, {
              headers: restarted.auth,
            }).then((r) => r.json())) as any;
            return body.status === 'posted' ? body : null;
          },
          30_000,
        );
        expect(posting.attempts).toBe(2);
        expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
      } finally {
        await restarted.close();
      }
    } finally {
      await world.gusto.close();
      await world.acumatica.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the service stops after Acumatica committed but before the log recorded it; the next start finds the journal (1 journal)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-posting-restart-'));
    const world = await postingWorld({ service: { dataDir, keepData: true } });
    try {
      world.acumatica.knobs.latencyMs = 1500; // the create is in flight when the service goes down
      const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
      await waitFor('create in flight', async () =>
        world.acumatica.requests.some((r) => r.method === 'PUT' && /JournalTransaction/.test(r.path)),
      );
      await world.service.close();
      await waitFor('journal committed', async () => journalsOf(world, payroll.uuid).length === 1);
      world.acumatica.knobs.latencyMs = 0;

      const restarted = await restartOn(world, dataDir);
      try {
        const get = () =>
          fetch(`${restarted.url}/api/postings/${postingIdOf(world, payroll.uuid)}`, { headers: restarted.auth }).then(
            (r) => r.json() as Promise<any>,
          );
        const posting = await waitFor('posted after restart', async () => {
          const body = await get();
          return body.status === 'posted' ? body : null;
        });
        expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
        expect(posting.acumatica.batchNbr).toBe(journalsOf(world, payroll.uuid)[0]!.BatchNbr);
        const trail = await fetch(`${restarted.url}/api/postings/${postingIdOf(world, payroll.uuid)}/events`, {
          headers: restarted.auth,
        }).then((r) => r.json() as Promise<any>);
        expect(trail.items.map((e: any) => e.type)).toContain('ExistingJournalFound');
      } finally {
        await restarted.close();
      }
    } finally {
      await world.gusto.close();
      await world.acumatica.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('posting e2e: release enabled in the mapping', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    const mapping = specMapping();
    mapping.journal.release = true;
    world = await postingWorld({ mapping });
  });
  afterAll(async () => world?.close());

  it('releases the batch as its own step: lookup + create + release, then posted', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    expect(posting.acumatica.released).toBe(true);
    const journals = journalsOf(world, payroll.uuid) as any[];
    expect(journals).toHaveLength(1);
    expect(journals[0].Status).not.toBe('Balanced');
    expect(acumaticaCalls(world)).toMatchObject({ lookups: 1, creates: 1, releases: 1 });
    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    expect(trail.body.items.map((e: any) => e.type).slice(-4)).toEqual([
      'JournalCreationStarted',
      'JournalCreated',
      'JournalReleased',
      'PayrollPosted',
    ]);
  });
});
