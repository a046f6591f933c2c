/**
 * The attacks on the webhook door, replayed end to end against the sandboxes (issue: webhook trust).
 * 1. An unsigned handshake must never set the signing key.
 * 2. A validly signed payroll.cancelled for a payroll Gusto still shows processed must move no money.
 * 3. A body nested 200,000 levels deep is a 400 (signed or not), and invented event types add no metrics series.
 */
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { fingerprintOf } from '../../../src/application/inbox/webhook-keyring';
import {
  postingIdOf,
  postingWithStatus,
  postingWorld,
  reversalsOf,
  journalsOf,
  waitFor as waitForValue,
  type PostingWorld,
} from '../postings/support';
import { startService, type TestService } from '../../support/service';
import { eventId, gustoEvent, postWebhook, sign, storeOf, waitFor } from './support';

const ATTACKER_TOKEN = 'attacker-chosen-token-0123456789';

const api = async (
  service: TestService,
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${service.url}${path}`, { method, headers: service.auth });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('attack 1: no stranger can set the signing key (no GUSTO_WEBHOOK_VERIFICATION_TOKEN, outside production)', () => {
  let gusto: GustoSandbox;
  let service: TestService;
  beforeAll(async () => {
    gusto = await startGustoSandbox({ seed: 23 });
    service = await startService({
      env: {
        GUSTO_WEBHOOK_VERIFICATION_TOKEN: undefined,
        GUSTO_API_BASE_URL: gusto.url,
        GUSTO_CLIENT_ID: gusto.config.clientId,
        GUSTO_CLIENT_SECRET: gusto.config.clientSecret,
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await gusto?.close();
  });

  it('an unsigned handshake answers 200 and changes nothing; a forged event signed with its token is refused', async () => {
    const res = await postWebhook(service, JSON.stringify({ verification_token: ATTACKER_TOKEN }), null);
    expect(res).toEqual({ status: 200, body: { status: 'verification' } });
    expect((await api(service, 'GET', '/api/webhooks/gusto/handshake')).body).toEqual({ source: 'none' });
    const forged = gustoEvent('attack-1-forged', { event_type: 'payroll.cancelled' });
    expect((await postWebhook(service, forged, sign(forged, ATTACKER_TOKEN))).status).toBe(401);
    const trail = await storeOf(service).readStream('webhook-verification-gusto');
    expect(trail.map((e) => e.type)).toEqual(['WebhookVerificationTokenNotAdopted']);
    expect(trail[0]!.data).toMatchObject({ fingerprint: fingerprintOf(ATTACKER_TOKEN), reason: 'no_handshake_window' });
  });

  it('Gusto’s own handshake is adopted only inside an admin’s window and after Gusto confirms it; the attacker’s never', async () => {
    const subscription = gusto.scenario.createSubscription({
      url: `${service.url}/webhooks/gusto`,
      verified: false,
    }) as { uuid: string };
    await gusto.scenario.webhooksIdle();
    // No window yet: not adopted, even though it is Gusto's token.
    await waitFor(
      async () => (await storeOf(service).readStream('webhook-verification-gusto')).length === 2,
      5_000,
      'refusal recorded',
    );
    expect((await api(service, 'GET', '/api/webhooks/gusto/handshake')).body).toEqual({ source: 'none' });
    expect(gusto.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/verify'))).toEqual([]);

    const opened = await api(service, 'POST', '/api/webhooks/gusto/handshake');
    expect(opened.status).toBe(200);
    expect(opened.body.handshakeWindowOpenUntil).toEqual(expect.any(String));
    // The attacker tries again inside the window: Gusto refuses its token (422), so nothing is adopted.
    await postWebhook(service, JSON.stringify({ verification_token: ATTACKER_TOKEN }), null);
    await waitFor(
      () => gusto.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/verify') && r.status === 422),
      10_000,
      'attacker verify refused',
    );
    expect((await api(service, 'GET', '/api/webhooks/gusto/handshake')).body.source).toBe('none');

    // Gusto resends the genuine token: confirmed by the verify call, adopted, recorded with the admin as actor.
    gusto.scenario.resendVerificationToken(subscription.uuid);
    await gusto.scenario.webhooksIdle();
    await waitFor(
      async () => (await api(service, 'GET', '/api/webhooks/gusto/handshake')).body.source === 'adopted',
      10_000,
      'adopted',
    );
    const status = await api(service, 'GET', '/api/webhooks/gusto/handshake');
    expect(status.body).toEqual({ source: 'adopted', fingerprint: fingerprintOf(gusto.config.verificationToken) });
    const adopted = (await storeOf(service).readStream('webhook-verification-gusto')).find(
      (e) => e.type === 'WebhookVerificationTokenAdopted',
    )!;
    expect(adopted.metadata.actor).toBe('admin-token');
    expect(adopted.data).toMatchObject({ confirmedSubscriptions: [subscription.uuid] });
    expect(JSON.stringify(adopted.data)).not.toContain(gusto.config.verificationToken);

    // The key now in use is Gusto's: its events are accepted, the attacker's are not.
    const company = gusto.scenario.createCompany().uuid;
    gusto.scenario.createEmployee(company, {}, true);
    gusto.scenario.runPayroll(company, { employees: 1 });
    await gusto.scenario.webhooksIdle();
    expect(gusto.deliveries.filter((d) => d.eventType === 'payroll.processed').map((d) => d.status)).toEqual([200]);
    const forged = gustoEvent('attack-1-after', { event_type: 'payroll.cancelled' });
    expect((await postWebhook(service, forged, sign(forged, ATTACKER_TOKEN))).status).toBe(401);
    // A later unsigned handshake (window consumed) does not replace it.
    await postWebhook(service, JSON.stringify({ verification_token: ATTACKER_TOKEN }), null);
    expect((await api(service, 'GET', '/api/webhooks/gusto/handshake')).body.fingerprint).toBe(
      fingerprintOf(gusto.config.verificationToken),
    );
    expect(gusto.nonGetDataRequests()).toEqual([]);
  });

  it('with GUSTO_WEBHOOK_VERIFICATION_TOKEN set, the window cannot be opened (409)', async () => {
    const configured = await startService();
    try {
      const res = await api(configured, 'POST', '/api/webhooks/gusto/handshake');
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('configured_token_in_use');
      expect((await api(configured, 'GET', '/api/webhooks/gusto/handshake')).body.source).toBe('configured');
      expect((await fetch(`${configured.url}/api/webhooks/gusto/handshake`, { method: 'POST' })).status).toBe(401);
    } finally {
      await configured.close();
    }
  });
});

describe('attack 2: a signed payroll.cancelled that Gusto contradicts moves no money', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('creates no reversing journal and leaves the trail saying why', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    await postingWithStatus(world, payroll.uuid, 'posted');
    const before = world.acumatica.requests.filter((r) => r.method === 'PUT').length;
    // Signed with the real key, but Gusto never cancelled this payroll.
    const body = gustoEvent('attack-2-cancel', {
      event_type: 'payroll.cancelled',
      resource_uuid: world.companyUuid,
      entity_uuid: payroll.uuid,
    });
    expect((await postWebhook(world.service, body)).status).toBe(200);
    const contradiction = await waitForValue('contradiction recorded', async () => {
      const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
      return trail.body.items.find((e: { type: string }) => e.type === 'CancellationContradicted') ?? null;
    });
    expect(contradiction.data).toMatchObject({
      gustoShows: 'processed',
      sourceEventId: eventId('attack-2-cancel'),
      trigger: 'webhook',
    });
    // Gusto was asked (a GET of the payroll after the event), and nothing was written to Acumatica.
    expect(world.gusto.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/payrolls/${payroll.uuid}`))).toBe(
      true,
    );
    const view = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`);
    expect(view.body.status).toBe('posted');
    expect(view.body.reversal).toBeUndefined();
    expect(reversalsOf(world, payroll.uuid)).toEqual([]);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    expect(world.acumatica.requests.filter((r) => r.method === 'PUT').length).toBe(before);

    // A genuine cancellation afterwards is still reversed, once.
    world.gusto.scenario.cancelPayroll(payroll.uuid);
    await waitForValue('reversal', async () => {
      const res = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`);
      return res.body.reversal?.status === 'reversed' ? res.body : null;
    });
    expect(reversalsOf(world, payroll.uuid)).toHaveLength(1);
  });
});

describe('outbound calls are counted', () => {
  it('counts Gusto and Acumatica answers by status in mlc_outbound_calls_total', async () => {
    const world = await postingWorld();
    try {
      const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
      await postingWithStatus(world, payroll.uuid, 'posted');
      const text = await (await fetch(`${world.service.url}/metrics`)).text();
      const value = (api: string): number =>
        Number(
          / (\d+)$/.exec(
            text.split('\n').find((l) => l.startsWith(`mlc_outbound_calls_total{api="${api}",status="200"}`)) ?? ' 0',
          )![1],
        );
      expect(value('gusto')).toBeGreaterThan(0);
      expect(value('acumatica')).toBeGreaterThan(0);
    } finally {
      await world.close();
    }
  });
});

describe('attack 3: the edge refuses what it cannot parse safely', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => service?.close());

  const deep = '['.repeat(200_000) + ']'.repeat(200_000);

  it('answers 400 to a body nested 200,000 levels deep, unsigned and signed, and stays up', async () => {
    const unsigned = await postWebhook(service, deep, null);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toMatchObject({ error: 'malformed_body', details: { field: 'body' } });
    const handshake = `{"verification_token":"${ATTACKER_TOKEN}","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect((await postWebhook(service, handshake, null)).status).toBe(400);
    expect((await postWebhook(service, deep)).status).toBe(400);
    const nestedEvent = gustoEvent('attack-3-nested', {
      extra: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown,
    });
    expect((await postWebhook(service, nestedEvent)).status).toBe(400);
    expect(await storeOf(service).readStream(`gusto-webhook-${eventId('attack-3-nested')}`)).toEqual([]);
    // The admin API's JSON bodies too.
    const res = await fetch(`${service.url}/api/connections`, {
      method: 'POST',
      headers: { ...service.auth, 'content-type': 'application/json' },
      body: deep,
    });
    expect(res.status).toBe(400);
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });

  it.each([
    ['a timestamp in 2000', { timestamp: 946684800 }, 'timestamp'],
    ['a timestamp of 1e20', { timestamp: 1e20 }, 'timestamp'],
    ['an entity_uuid that is a path', { entity_uuid: '../../v1/companies' }, 'entity_uuid'],
    ['a number for event_type', { event_type: 7 }, 'event_type'],
  ])('answers 400 naming the field to a signed event with %s, storing nothing', async (_name, fields, field) => {
    const name = `attack-3-${field}-${String(_name).length}`;
    const res = await postWebhook(service, gustoEvent(name, fields));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'malformed_body', details: { field } });
    expect(String(res.body.message)).toContain(field);
    expect(await storeOf(service).readStream(`gusto-webhook-${eventId(name)}`)).toEqual([]);
  });

  it('answers 400 to a signed body that is not valid UTF-8', async () => {
    const raw = Buffer.concat([
      Buffer.from(gustoEvent('attack-3-utf8').slice(0, -1)),
      Buffer.from(',"memo":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const res = await postWebhook(service, raw, sign(raw));
    expect(res.status).toBe(400);
    expect(await storeOf(service).readStream(`gusto-webhook-${eventId('attack-3-utf8')}`)).toEqual([]);
  });

  it('records invented event types once each as ignored, under one metrics label: no new series', async () => {
    const series = async (): Promise<string[]> =>
      (await (await fetch(`${service.url}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('mlc_inbox_events_total{'));
    await postWebhook(service, gustoEvent('attack-3-warmup', { event_type: 'company.updated' }));
    await waitFor(
      async () => (await storeOf(service).readStream(`gusto-webhook-${eventId('attack-3-warmup')}`)).length === 2,
      10_000,
      'warm-up handled',
    );
    const before = await series();
    const sizeBefore = (await (await fetch(`${service.url}/metrics`)).text()).length;
    for (let i = 0; i < 200; i++) {
      expect(
        (await postWebhook(service, gustoEvent(`attack-3-type-${i}`, { event_type: `invented.type_${i}` }))).status,
      ).toBe(200);
    }
    await waitFor(
      async () => (await storeOf(service).readStream(`gusto-webhook-${eventId('attack-3-type-199')}`)).length === 2,
      20_000,
      'all handled',
    );
    const [, outcome] = await storeOf(service).readStream(`gusto-webhook-${eventId('attack-3-type-7')}`);
    expect(outcome).toMatchObject({ type: 'InboxEventIgnored', data: { reason: 'event_type_not_acted_on' } });
    const after = await series();
    expect(after.map((l) => l.split(' ')[0])).toEqual(before.map((l) => l.split(' ')[0]));
    expect(after.join('\n')).toMatch(/mlc_inbox_events_total\{action="ignored",event_type="other"\} 20[01]/);
    expect((await (await fetch(`${service.url}/metrics`)).text()).length - sizeBefore).toBeLessThan(200);
  });
});
