import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { startService, tempDataDir, type TestService } from '../../support/service';
import { WEBHOOK_TOKEN, connectCompany, eventId, postWebhook, gustoEvent, storeOf, streamOf, waitFor } from './support';

const gustoEnv = (gusto: GustoSandbox): Record<string, string | undefined> => ({
  GUSTO_API_BASE_URL: gusto.url,
  GUSTO_CLIENT_ID: gusto.config.clientId,
  GUSTO_CLIENT_SECRET: gusto.config.clientSecret,
  GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
});

const outcomes = async (
  service: TestService,
  eventUuid: string,
): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
  (await streamOf(service, `gusto-webhook-${eventId(eventUuid)}`))
    .slice(1)
    .map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));

const postingStream = (connectionId: string, payrollUuid: string): string =>
  `payroll-posting-${connectionId}-${payrollUuid}`;

/** Webhooks and the poll against the Gusto sandbox, over real HTTP, on the embedded store. */
describe('Gusto → inbox → commands (with the Gusto sandbox)', () => {
  let gusto: GustoSandbox;
  let service: TestService;
  let companyUuid: string;
  let connectionId: string;

  beforeAll(async () => {
    gusto = await startGustoSandbox({ verificationToken: WEBHOOK_TOKEN, seed: 7 });
    service = await startService({ env: gustoEnv(gusto) });
    companyUuid = gusto.scenario.createCompany({ name: 'Acme' }).uuid;
    for (let i = 0; i < 2; i++) gusto.scenario.createEmployee(companyUuid, {}, true);
    connectionId = await connectCompany(service, gusto.scenario, companyUuid);
  });
  afterAll(async () => {
    await service?.close();
    await gusto?.close();
  });

  it('turns a signed payroll.processed webhook into one RequestPostingCommand for the right connection', async () => {
    gusto.scenario.createSubscription({ url: `${service.url}/webhooks/gusto`, subscriptionTypes: ['Payroll'] });
    gusto.knobs.webhook.duplicates = 3;
    const payroll = gusto.scenario.runPayroll(companyUuid, { employees: 2 });
    await gusto.scenario.webhooksIdle();
    gusto.knobs.webhook.duplicates = 0;
    const deliveries = gusto.deliveries.filter((d) => d.eventType === 'payroll.processed');
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    const eventUuid = deliveries[0].eventUuid;

    await waitFor(async () => (await outcomes(service, eventUuid)).length > 0, 10_000, 'dispatch');
    expect(await outcomes(service, eventUuid)).toEqual([
      {
        type: 'InboxEventDispatched',
        data: expect.objectContaining({ connectionId, command: 'RequestPostingCommand' }),
      },
    ]);
    const inbox = await streamOf(service, `gusto-webhook-${eventUuid}`);
    expect(inbox.filter((e) => e.type === 'GustoWebhookReceived')).toHaveLength(1);
    // The posting pipeline received it, caused by the Gusto event.
    await waitFor(
      async () => (await streamOf(service, postingStream(connectionId, payroll.uuid))).length > 0,
      10_000,
      'posting requested',
    );
    const [first] = await streamOf(service, postingStream(connectionId, payroll.uuid));
    expect(first.metadata).toMatchObject({ causationId: eventUuid });
  });

  it('records and dispatches events delivered out of order (cancelled before processed)', async () => {
    gusto.knobs.webhook.reorder = true;
    const payroll = gusto.scenario.runPayroll(companyUuid, { offCycle: true, offCycleReason: 'Bonus', employees: 1 });
    gusto.scenario.cancelPayroll(payroll.uuid);
    await gusto.scenario.webhooksIdle();
    gusto.knobs.webhook.reorder = false;
    const mine = gusto.deliveries.filter((d) => d.body.includes(payroll.uuid));
    expect(mine.map((d) => d.eventType)).toEqual(['payroll.cancelled', 'payroll.processed']);
    for (const delivery of mine) {
      await waitFor(async () => (await outcomes(service, delivery.eventUuid)).length > 0, 10_000, 'dispatch');
    }
    const commands = await Promise.all(mine.map(async (d) => (await outcomes(service, d.eventUuid))[0].data.command));
    expect(commands).toEqual(['RequestReversalCommand', 'RequestPostingCommand']);
  });

  it('the poll finds a regular and an off-cycle payroll that sent no webhook, and skips an external one', async () => {
    const regular = gusto.scenario.runPayroll(companyUuid, { webhook: false, employees: 2 });
    const offCycle = gusto.scenario.runPayroll(companyUuid, {
      webhook: false,
      offCycle: true,
      offCycleReason: 'Correction',
      employees: 1,
    });
    const external = gusto.scenario.runPayroll(companyUuid, { webhook: false, external: true, employees: 1 });
    const res = await fetch(`${service.url}/api/connections/${connectionId}/sync`, {
      method: 'POST',
      headers: service.auth,
    });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as {
      status: string;
      requested: string[];
      externalSkipped: number;
      alreadyKnown: number;
    };
    expect(summary.status).toBe('completed');
    expect(summary.requested).toEqual(expect.arrayContaining([regular.uuid, offCycle.uuid]));
    expect(summary.requested).not.toContain(external.uuid);
    // Gusto leaves external payrolls out of payroll_types=regular,off_cycle; the poll would skip one anyway (unit test).
    for (const uuid of [regular.uuid, offCycle.uuid]) {
      const [requested] = await streamOf(service, postingStream(connectionId, uuid));
      // Run by POST …/sync: the caller is the actor (issue 15); the data still says the poll found it.
      expect(requested.metadata).toMatchObject({ actor: 'admin-token' });
      expect(requested.data).toMatchObject({ trigger: 'poll' });
    }
    expect(await streamOf(service, postingStream(connectionId, external.uuid))).toHaveLength(0);
    // It asked Gusto the way the interface spec says.
    const list = gusto.requests.filter((r) => r.path === `/v1/companies/${companyUuid}/payrolls`);
    expect(list[list.length - 1].query).toMatchObject({
      processing_statuses: 'processed',
      payroll_types: 'regular,off_cycle',
      include: 'totals',
    });

    const again = (await (
      await fetch(`${service.url}/api/connections/${connectionId}/sync`, { method: 'POST', headers: service.auth })
    ).json()) as typeof summary;
    expect(again.requested).toEqual([]);
    expect(again.alreadyKnown).toBeGreaterThanOrEqual(2);
    const watermark = await streamOf(service, `poll-watermark-${connectionId}`);
    expect(watermark.length).toBeGreaterThanOrEqual(1);
  });

  it('answers sync with 404 for an unknown connection and 401 without the admin token', async () => {
    expect(
      (await fetch(`${service.url}/api/connections/nope/sync`, { method: 'POST', headers: service.auth })).status,
    ).toBe(404);
    expect((await fetch(`${service.url}/api/connections/${connectionId}/sync`, { method: 'POST' })).status).toBe(401);
  });

  // Last in this block: once verified, this second subscription doubles every later delivery.
  it('answers the subscription handshake and confirms it to Gusto (PUT …/verify with a system token)', async () => {
    const subscription = gusto.scenario.createSubscription({ url: `${service.url}/webhooks/gusto`, verified: false });
    await gusto.scenario.webhooksIdle();
    const handshake = gusto.deliveries.find((d) => d.eventType === 'verification_token');
    expect(handshake?.status).toBe(200);
    await waitFor(
      () =>
        gusto.requests.some(
          (r) =>
            r.method === 'PUT' &&
            r.path === `/v1/webhook_subscriptions/${subscription.uuid}/verify` &&
            r.status === 200,
        ),
      10_000,
      'verify call',
    );
    await waitFor(
      async () =>
        (await streamOf(service, 'webhook-verification-gusto')).some((e) => e.type === 'WebhookSubscriptionVerified'),
      5_000,
      'verification recorded',
    );
    expect(gusto.nonGetDataRequests()).toEqual([]); // no write to company data
  });
});

describe('handshake when no GUSTO_WEBHOOK_VERIFICATION_TOKEN is set', () => {
  it('adopts the token Gusto sends inside an admin-opened window, once Gusto confirms it, and verifies the events that follow with it', async () => {
    const gusto = await startGustoSandbox({ seed: 11 });
    const service = await startService({ env: { ...gustoEnv(gusto), GUSTO_WEBHOOK_VERIFICATION_TOKEN: undefined } });
    try {
      const company = gusto.scenario.createCompany().uuid;
      gusto.scenario.createEmployee(company, {}, true);
      const opened = await fetch(`${service.url}/api/webhooks/gusto/handshake`, {
        method: 'POST',
        headers: service.auth,
      });
      expect(opened.status).toBe(200);
      gusto.scenario.createSubscription({ url: `${service.url}/webhooks/gusto`, verified: false });
      await gusto.scenario.webhooksIdle();
      expect(gusto.deliveries[0]).toMatchObject({ eventType: 'verification_token', status: 200 });
      await waitFor(
        async () =>
          (await storeOf(service).readStream('webhook-verification-gusto')).some(
            (e) => e.type === 'WebhookSubscriptionVerified',
          ),
        10_000,
        'adopted and verified',
      );
      const adopted = await storeOf(service).readStream('webhook-verification-gusto');
      expect(adopted.map((e) => e.type)).toEqual([
        'WebhookHandshakeWindowOpened',
        'WebhookVerificationTokenAdopted',
        'WebhookSubscriptionVerified',
      ]);
      expect(JSON.stringify(adopted.map((e) => e.data))).not.toContain(gusto.config.verificationToken);
      expect(service.logs.join('\n')).not.toContain(gusto.config.verificationToken);
      // An event signed with the adopted token is accepted; one signed with the test default is not.
      const body = gustoEvent('tofu-1', { resource_uuid: company });
      expect(
        (await postWebhook(service, body, (await import('./support')).sign(body, gusto.config.verificationToken)))
          .status,
      ).toBe(200);
      expect((await postWebhook(service, gustoEvent('tofu-2'))).status).toBe(401);
      // The connector verified the subscription itself, so Gusto's own events now flow and are accepted.
      expect(gusto.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/verify') && r.status === 200)).toBe(
        true,
      );
      gusto.scenario.runPayroll(company, { employees: 1 });
      await gusto.scenario.webhooksIdle();
      expect(gusto.deliveries.filter((d) => d.eventType === 'payroll.processed').map((d) => d.status)).toEqual([200]);
    } finally {
      await service.close();
      await gusto.close();
    }
  });
});

describe('restart on the same store', () => {
  it('keeps the dispatcher checkpoint: nothing is dispatched twice, nothing recorded while down is missed', async () => {
    const dataDir = tempDataDir();
    const first = await startService({ dataDir, keepData: true });
    for (let i = 0; i < 3; i++)
      await postWebhook(
        first,
        gustoEvent(`restart-${i}`, { resource_uuid: eventId('company-unknown'), event_type: 'company.updated' }),
      );
    await waitFor(async () => (await outcomes(first, 'restart-2')).length > 0, 10_000, 'first run');
    await first.close();

    const second = await startService({ dataDir });
    try {
      await postWebhook(
        second,
        gustoEvent('restart-3', { resource_uuid: eventId('company-unknown'), event_type: 'company.updated' }),
      );
      await waitFor(async () => (await outcomes(second, 'restart-3')).length > 0, 10_000, 'second run');
      for (let i = 0; i < 4; i++) expect(await outcomes(second, `restart-${i}`)).toHaveLength(1);
      const checkpoints = await streamOf(second, 'checkpoint-inbox-dispatcher');
      expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    } finally {
      await second.close();
    }
  });
});
