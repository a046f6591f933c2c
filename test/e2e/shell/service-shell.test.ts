import { startService, type TestService } from '../../support/service';

describe('service shell', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => service.close());

  it('GET /health answers 200 with the store it reached', async () => {
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      eventStore: { ok: true, store: expect.stringContaining('sqlite:') },
    });
  });

  it('serves the OpenAPI page at /docs and its JSON', async () => {
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/health']).toBeDefined();
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await fetch(`${service.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: expect.any(String) });
  });
});

describe('service shell with an unreachable event store', () => {
  it('stays up and answers /health 503 naming the store', async () => {
    const service = await startService({ env: { EVENT_STORE_URL: 'esdb://127.0.0.1:1?tls=false' } });
    try {
      const res = await fetch(`${service.url}/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; eventStore: { store: string; error: string } };
      expect(body.status).toBe('unavailable');
      expect(body.eventStore.store).toBe('esdb://127.0.0.1:1');
      expect(body.eventStore.error).toMatch(/esdb:\/\/127\.0\.0\.1:1.*unreachable/);
      expect((await fetch(`${service.url}/health`)).status).toBe(503); // still alive
    } finally {
      await service.close();
    }
  });
});
