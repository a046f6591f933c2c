/**
 * The service is SIGKILLed mid-saga — once while it reads the payroll from Gusto, once while its journal
 * create is in flight at Acumatica (Acumatica commits after the process is gone) — and restarted on the
 * same SQLite file. It must resume from the log and end with exactly one journal and status `posted`.
 */
import { rmSync } from 'node:fs';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { startAcumaticaSandbox, type AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import {
  apiCall,
  spawnService,
  tempDataDir,
  testEnv,
  TEST_ADMIN_TOKEN,
  type SpawnedService,
} from '../../support/service';
import { GUSTO_CLIENT_ID, GUSTO_CLIENT_SECRET, oauthAcumatica } from '../../integration/connections/harness';
import { specMapping, waitFor, WEBHOOK_TOKEN } from './support';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

const api = (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
  apiCall(base, method, path, body, headers);

describe('posting survives SIGKILL mid-saga', () => {
  let gusto: GustoSandbox;
  let acumatica: AcumaticaSandbox;
  let dataDir: string;
  let service: SpawnedService | undefined;
  const start = async () => {
    service = await spawnService(
      testEnv(dataDir, {
        GUSTO_API_BASE_URL: gusto.url,
        GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
        RETRY_BASE_MS: '50',
      }),
    );
    return service;
  };

  beforeAll(async () => {
    gusto = await startGustoSandbox({
      clientId: GUSTO_CLIENT_ID,
      clientSecret: GUSTO_CLIENT_SECRET,
      verificationToken: WEBHOOK_TOKEN,
    });
    acumatica = await startAcumaticaSandbox();
    dataDir = tempDataDir('mlc-crash-');
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await gusto.close();
    await acumatica.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes from the log after each kill and posts exactly one journal', async () => {
    let svc = await start();
    const company = gusto.scenario.createCompany({ name: 'Crash Test Co' } as never);
    const created = await api(svc.url, 'POST', '/api/connections', {
      name: 'Crash Test Co',
      acumatica: oauthAcumatica({ baseUrl: acumatica.url }),
    });
    expect(created.status).toBe(201);
    const connectionId = created.body.id as string;
    const begin = await api(
      svc.url,
      'GET',
      `/api/connections/${connectionId}/gusto/authorize?companyUuid=${company.uuid}`,
    );
    const consent = new URL(begin.headers.get('location')!);
    consent.searchParams.set('company_uuid', company.uuid);
    const back = new URL((await fetch(consent, { redirect: 'manual' })).headers.get('location')!);
    expect((await api(svc.url, 'GET', `/oauth/gusto/callback?${back.searchParams}`, undefined, {})).status).toBe(200);
    expect((await api(svc.url, 'PUT', `/api/connections/${connectionId}/mapping`, specMapping())).status).toBe(200);
    gusto.scenario.createSubscription({ url: `${svc.url}/webhooks/gusto` });

    // Kill 1: while the payroll is being read from Gusto.
    gusto.knobs.latencyMs = 1500;
    const payroll = gusto.scenario.runPayroll(company.uuid, { employees: 30 } as never) as unknown as { uuid: string };
    await waitFor(
      'the payroll read to start',
      async () => gusto.requests.some((r) => r.path.includes(`/payrolls/${payroll.uuid}`)),
      15_000,
    );
    await svc.kill('SIGKILL');
    gusto.knobs.latencyMs = 0;

    // Kill 2: while the journal create is in flight (Acumatica commits after the process is gone).
    acumatica.knobs.latencyMs = 1500;
    svc = await start();
    await waitFor(
      'the journal create to be sent',
      async () => acumatica.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/JournalTransaction')),
      20_000,
    );
    await svc.kill('SIGKILL');
    await waitFor(
      'Acumatica to commit the orphaned create',
      async () => acumatica.records.journalsTagged(`gusto:${payroll.uuid}`).length === 1,
      10_000,
    );
    acumatica.knobs.latencyMs = 0;

    svc = await start();
    const postingId = encodeURIComponent(`${connectionId}:${payroll.uuid}`);
    const posted = await waitFor(
      'posted after restart',
      async () => {
        const res = await api(svc.url, 'GET', `/api/postings/${postingId}`);
        return res.status === 200 && res.body.status === 'posted' ? res.body : null;
      },
      30_000,
    );
    expect(acumatica.records.journalsTagged(`gusto:${payroll.uuid}`)).toHaveLength(1);
    expect(posted.acumatica.batchNbr).toBe(acumatica.records.journalsTagged(`gusto:${payroll.uuid}`)[0].BatchNbr);
    const events = await api(svc.url, 'GET', `/api/postings/${postingId}/events`);
    const types: string[] = (events.body.items ?? events.body).map((e: { type: string }) => e.type);
    expect(types[0]).toBe('PostingRequested');
    expect(types).toContain('ExistingJournalFound'); // the create that committed after the kill was found, not repeated
    expect(types[types.length - 1]).toBe('PayrollPosted');
    expect(gusto.nonGetDataRequests()).toEqual([]);
  }, 90_000);
});
