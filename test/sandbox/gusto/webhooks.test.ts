import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { call, connect, get, postJson, startReceiver, systemToken, VERSION } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const TOKEN = '3f9a2c71-5d4e-4b8a-9e07-1c6d2f8b4a53';
const hmac = (body: string, enc: 'hex' | 'base64' = 'hex') => createHmac('sha256', TOKEN).update(body).digest(enc);

describe('Gusto sandbox: webhooks', () => {
  let sb: GustoSandbox;
  let receiver: Receiver;
  let company: string;
  beforeEach(async () => {
    sb = await startGustoSandbox({
      seed: 41,
      verificationToken: TOKEN,
      clock: { now: () => new Date('2026-11-02T12:00:00Z') },
    });
    sb.knobs.webhook.retryBaseMs = 5;
    company = sb.scenario.createCompany({ name: 'Hooks Inc' }).uuid;
  });
  afterEach(async () => {
    await sb.close();
    await receiver?.close();
  });
  const events = () =>
    receiver.received.map((r) => JSON.parse(r.body) as { uuid: string; event_type: string; entity_uuid: string });

  it('subscription handshake over the API: POST the token, verify, then events flow signed', async () => {
    receiver = await startReceiver();
    const sys = await systemToken(sb);
    const auth = { authorization: `Bearer ${sys}` };
    const created = await postJson(
      `${sb.url}/v1/webhook_subscriptions`,
      { url: receiver.url, subscription_types: ['Payroll', 'Employee'] },
      auth,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      url: receiver.url,
      subscription_types: ['Payroll', 'Employee'],
    });
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({ verification_token: TOKEN });
    sb.scenario.runPayroll(company, { employees: 1 }); // pending subscription: nothing delivered yet
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const put = (token: string) =>
      call(`${sb.url}/v1/webhook_subscriptions/${created.body.uuid}/verify`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json', 'x-gusto-api-version': VERSION },
        body: JSON.stringify({ verification_token: token }),
      });
    expect((await put('wrong')).status).toBe(422);
    expect((await put(TOKEN)).body.status).toBe('verified');
    const p = sb.scenario.runPayroll(company, { employees: 1 });
    await sb.scenario.webhooksIdle();
    const last = receiver.received[receiver.received.length - 1]!;
    expect(JSON.parse(last.body)).toEqual({
      uuid: expect.any(String),
      event_type: 'payroll.processed',
      resource_type: 'Company',
      resource_uuid: company,
      entity_type: 'Payroll',
      entity_uuid: p.uuid,
      timestamp: Math.floor(sb.clock.now().getTime() / 1000),
    });
    expect(last.headers['x-gusto-signature']).toBe(hmac(last.body));
    expect((await get(sb, '/v1/webhook_subscriptions', sys)).body).toHaveLength(1);
  });

  it('every scenario action emits its event to the subscription', async () => {
    receiver = await startReceiver();
    sb.scenario.createSubscription({ url: receiver.url });
    const e = sb.scenario.createEmployee(company, {}).uuid as string;
    sb.scenario.updateEmployee(e, { lastName: 'X' });
    sb.scenario.terminateEmployee(e, { effectiveDate: sb.clock.today() });
    sb.scenario.rehireEmployee(e, { effectiveDate: sb.clock.today() });
    const p1 = sb.scenario.runPayroll(company, {});
    sb.scenario.cancelPayroll(p1.uuid);
    const p2 = sb.scenario.runPayroll(company, {});
    const reversal = sb.scenario.reversePayroll(p2.uuid);
    await sb.scenario.webhooksIdle();
    expect(events().map((x) => [x.event_type, x.entity_uuid])).toEqual([
      ['employee.created', e],
      ['employee.updated', e],
      ['employee.terminated', e],
      ['employee.rehired', e],
      ['payroll.processed', p1.uuid],
      ['payroll.cancelled', p1.uuid],
      ['payroll.processed', p2.uuid],
      ['payroll.reversed', p2.uuid],
    ]);
    expect(reversal.off_cycle_reason).toBe('Reversal');
    for (const r of receiver.received) expect(r.headers['x-gusto-signature']).toBe(hmac(r.body));
  });

  it('retries non-2xx with backoff, same event and body; bounded, then the subscription is unreachable', async () => {
    receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    sb.scenario.createSubscription({ url: receiver.url, subscriptionTypes: ['Payroll'] });
    sb.scenario.runPayroll(company, { employees: 1 });
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(sb.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    await receiver.close();
    receiver = await startReceiver(() => 503);
    const sub = sb.scenario.createSubscription({ url: receiver.url, subscriptionTypes: ['Payroll'] });
    sb.knobs.webhook.maxRetries = 3;
    sb.scenario.runPayroll(company, { employees: 1 });
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(4);
    const list = (await get(sb, '/v1/webhook_subscriptions', await systemToken(sb))).body as Array<{
      uuid: string;
      status: string;
    }>;
    expect(list.find((s) => s.uuid === sub.uuid)?.status).toBe('unreachable');
  });

  it('knobs: duplicates, reorder, delay, base64 signature', async () => {
    receiver = await startReceiver();
    sb.scenario.createSubscription({ url: receiver.url });
    sb.knobs.webhook.duplicates = 2;
    sb.scenario.runPayroll(company, { employees: 1 });
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(events().map((x) => x.uuid)).size).toBe(1);

    receiver.received.length = 0;
    sb.knobs.webhook.duplicates = 0;
    sb.knobs.webhook.reorder = true;
    const a = sb.scenario.runPayroll(company, {}).uuid;
    const b = sb.scenario.runPayroll(company, {}).uuid;
    const c = sb.scenario.runPayroll(company, {}).uuid;
    await sb.scenario.webhooksIdle();
    expect(events().map((x) => x.entity_uuid)).toEqual([c, b, a]);

    receiver.received.length = 0;
    sb.knobs.webhook.reorder = false;
    sb.knobs.webhook.delayMs = 300;
    sb.knobs.webhook.signatureEncoding = 'base64';
    sb.scenario.runPayroll(company, {});
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    await sb.scenario.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['x-gusto-signature']).toBe(hmac(receiver.received[0]!.body, 'base64'));
  });

  it('a payroll processed with webhook:false sends nothing but is listed by GET /v1/events; company.provisioned on connect', async () => {
    receiver = await startReceiver();
    sb.scenario.createSubscription({ url: receiver.url, subscriptionTypes: ['Payroll'] });
    const silent = sb.scenario.runPayroll(company, { employees: 2, webhook: false });
    await connect(sb);
    await sb.scenario.webhooksIdle();
    expect(events().map((x) => x.event_type)).toEqual(['company.provisioned']); // always sent
    const sys = await systemToken(sb);
    const page = await get(sb, '/v1/events?event_type=payroll.*&limit=1', sys);
    expect(page.body).toEqual([expect.objectContaining({ event_type: 'payroll.processed', entity_uuid: silent.uuid })]);
    expect(page.headers.get('x-has-next-page')).toBe('false');
    const first = await get(sb, '/v1/events?limit=1', sys);
    expect(first.headers.get('x-has-next-page')).toBe('true');
    const next = await get(sb, `/v1/events?limit=100&starting_after_uuid=${first.body[0].uuid}`, sys);
    expect(next.body.length).toBe(sb.events.length - 1);
  });

  it('the verification POST is signed unless the knob says otherwise', async () => {
    receiver = await startReceiver();
    sb.scenario.createSubscription({ url: receiver.url, verified: false });
    sb.knobs.webhook.signVerificationRequest = false;
    sb.scenario.createSubscription({ url: receiver.url, verified: false });
    await sb.scenario.webhooksIdle();
    expect(receiver.received.map((r) => r.headers['x-gusto-signature'])).toEqual([
      hmac(receiver.received[0]!.body),
      undefined,
    ]);
  });

  it('event bodies have exactly the keys of the sample webhook; compact JSON signed like the reference vector', async () => {
    receiver = await startReceiver();
    sb.scenario.createSubscription({ url: receiver.url, subscriptionTypes: ['Payroll'] });
    sb.scenario.runPayroll(company, { employees: 1 });
    await sb.scenario.webhooksIdle();
    const sample = readFileSync(join(__dirname, '../../fixtures/gusto-sandbox/webhook-payroll-processed.json'), 'utf8');
    const ours = receiver.received[0]!;
    expect(Object.keys(JSON.parse(ours.body)).sort()).toEqual(Object.keys(JSON.parse(sample)).sort());
    expect(ours.body).toBe(JSON.stringify(JSON.parse(ours.body))); // compact serialisation, like the reference's second vector
    expect(hmac(JSON.stringify(JSON.parse(sample)))).toBe(
      'f9f9fb4564ecc1496572cdf8220745d123f192c389cd8f41a5e51954500606c2',
    );
    expect(ours.headers['x-gusto-signature']).toMatch(/^[0-9a-f]{64}$/);
  });
});
