import { startService, type TestService } from '../../support/service';
import { eventId, gustoEvent, metricValue, postChunked, postWebhook, sign, streamOf, waitFor } from './support';

/** POST /webhooks/gusto over real HTTP on the real embedded store (interface spec "HTTP"). */
describe('POST /webhooks/gusto', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => service.close());

  it('accepts a signed event, records it in gusto-webhook-<uuid>, and answers 200', async () => {
    const body = gustoEvent('e2e-accepted-1');
    const res = await postWebhook(service, body);
    expect(res).toEqual({ status: 200, body: { status: 'accepted', eventUuid: eventId('e2e-accepted-1') } });
    const [received] = await streamOf(service, `gusto-webhook-${eventId('e2e-accepted-1')}`);
    expect(received).toMatchObject({
      type: 'GustoWebhookReceived',
      data: { eventType: 'payroll.processed', companyUuid: '4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13' },
    });
  });

  it.each([
    ['missing', null],
    ['wrong', sign('something else')],
    ['wrong-length', 'abc123'],
    ['non-hex', 'g'.repeat(64)],
  ])('answers a %s signature with 401 and stores nothing', async (_name, signature) => {
    const uuid = `e2e-bad-${String(_name)}`;
    const before = await metricValue(service, 'mlc_webhooks_total{outcome="bad_signature"}');
    const res = await postWebhook(service, gustoEvent(uuid), signature);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'bad_signature' });
    expect(await streamOf(service, `gusto-webhook-${eventId(uuid)}`)).toHaveLength(0);
    expect(await metricValue(service, 'mlc_webhooks_total{outcome="bad_signature"}')).toBe(before + 1);
  });

  it('checks the signature before parsing: unparseable bytes with a bad signature are a 401, with a good one a 400', async () => {
    expect((await postWebhook(service, '{"uuid": nope', sign('other'))).status).toBe(401);
    const res = await postWebhook(service, '{"uuid": nope');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'malformed_body' });
  });

  it.each([
    ['missing uuid', JSON.stringify({ event_type: 'payroll.processed', resource_uuid: 'c', entity_uuid: 'p' })],
    ['missing event_type', JSON.stringify({ uuid: 'm2', resource_uuid: 'c', entity_uuid: 'p' })],
    ['missing entity_uuid', JSON.stringify({ uuid: 'm3', event_type: 'payroll.processed', resource_uuid: 'c' })],
    ['missing resource_uuid', JSON.stringify({ uuid: 'm4', event_type: 'payroll.processed', entity_uuid: 'p' })],
    ['a JSON string', '"payroll.processed"'],
  ])('answers a signed body with %s with 400', async (_name, body) => {
    const before = await metricValue(service, 'mlc_webhooks_total{outcome="malformed"}');
    const res = await postWebhook(service, body);
    expect(res.status).toBe(400);
    expect(await metricValue(service, 'mlc_webhooks_total{outcome="malformed"}')).toBe(before + 1);
  });

  it('verifies over the raw bytes whatever the content type says', async () => {
    const body = gustoEvent('e2e-text-plain');
    expect((await postWebhook(service, body, sign(body), 'text/plain')).status).toBe(200);
    const spaced = `  ${gustoEvent('e2e-spaced')}\n`;
    expect((await postWebhook(service, spaced, sign(spaced))).status).toBe(200);
  });

  it('answers 413 over 1 MiB with a Content-Length, and counts it', async () => {
    const before = await metricValue(service, 'mlc_webhooks_total{outcome="too_large"}');
    const big = gustoEvent('e2e-big', { padding: 'x'.repeat(1024 * 1024) });
    const res = await postWebhook(service, big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
    expect(await streamOf(service, `gusto-webhook-${eventId('e2e-big')}`)).toHaveLength(0);
    expect(await metricValue(service, 'mlc_webhooks_total{outcome="too_large"}')).toBe(before + 1);
  });

  it('answers 413 to a chunked body without Content-Length once it passes 1 MiB', async () => {
    expect(await postChunked(service.url, 3 * 1024 * 1024)).toBe(413);
    // Exactly at the limit is still read (and then refused for its signature, not its size).
    expect(await postChunked(service.url, 1024 * 1024)).toBe(401);
  });

  it('answers 10 concurrent copies and a late redelivery with 200 and keeps one record', async () => {
    const body = gustoEvent('e2e-dup');
    const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(service, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);
    expect((await postWebhook(service, body)).body).toMatchObject({ status: 'duplicate' });
    await waitFor(
      async () => (await streamOf(service, `gusto-webhook-${eventId('e2e-dup')}`)).length === 2,
      10_000,
      'dispatcher outcome',
    );
    const stream = await streamOf(service, `gusto-webhook-${eventId('e2e-dup')}`);
    expect(stream.filter((e) => e.type === 'GustoWebhookReceived')).toHaveLength(1);
    expect(stream.filter((e) => e.type !== 'GustoWebhookReceived')).toHaveLength(1);
  });

  it('records an event of a company no connection knows, with the reason', async () => {
    await postWebhook(service, gustoEvent('e2e-unknown-company', { resource_uuid: eventId('company-not-connected') }));
    await waitFor(
      async () => (await streamOf(service, `gusto-webhook-${eventId('e2e-unknown-company')}`)).length === 2,
      10_000,
      'dispatcher outcome',
    );
    const [, outcome] = await streamOf(service, `gusto-webhook-${eventId('e2e-unknown-company')}`);
    expect(outcome).toMatchObject({
      type: 'InboxEventUnroutable',
      data: { reason: 'unknown_company', companyUuid: eventId('company-not-connected') },
    });
  });

  it('acknowledges event types it does not act on', async () => {
    expect(
      (
        await postWebhook(
          service,
          gustoEvent('e2e-other-type', { event_type: 'company.updated', entity_type: 'Company' }),
        )
      ).status,
    ).toBe(200);
    await waitFor(
      async () => (await streamOf(service, `gusto-webhook-${eventId('e2e-other-type')}`)).length === 2,
      10_000,
      'dispatcher outcome',
    );
    const [, outcome] = await streamOf(service, `gusto-webhook-${eventId('e2e-other-type')}`);
    expect(outcome).toMatchObject({ type: 'InboxEventIgnored', data: { reason: 'event_type_not_acted_on' } });
  });

  it('exposes the counters at /metrics in Prometheus text', async () => {
    const res = await fetch(`${service.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE mlc_webhooks_total counter');
    expect(text).toMatch(/\nmlc_webhooks_total\{outcome="accepted"\} \d+\n/);
    expect(text).toMatch(/\nmlc_webhooks_total\{outcome="duplicate"\} \d+\n/);
    for (const family of [
      'mlc_postings_total counter',
      'mlc_outbound_calls_total counter',
      'mlc_webhook_to_posted_seconds histogram',
      'mlc_inbox_events_total counter',
    ]) {
      expect(text).toContain(`# TYPE ${family}\n`);
    }
    expect(text).toMatch(/\nmlc_webhooks_total\{outcome="too_large"\} [1-9]\d*\n/);
    expect(text).toMatch(
      /\nmlc_inbox_events_total\{action="unknown_company",event_type="payroll.processed"\} [1-9]\d*\n/,
    );
    expect(text).toMatch(/\nprocess_resident_memory_bytes \d+\n/);
    expect(text).toMatch(/\nprocess_uptime_seconds [\d.]+\n/);
  });

  it('documents the webhook, sync and metrics endpoints on the OpenAPI page', async () => {
    const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/webhooks/gusto']?.post).toBeDefined();
    expect(doc.paths['/metrics']?.get).toBeDefined();
    expect(doc.paths['/api/connections/{id}/sync']?.post).toBeDefined();
  });
});
