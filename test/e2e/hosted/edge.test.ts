/**
 * The HTTP edge of a hosted service (issue 15): slow bodies cut off, body limits on every route, a per-key
 * rate limit on /api, failed sign-ins throttled, logged and counted, /docs and /metrics in production,
 * HOST binding one interface.
 */
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { spawnService, startService, tempDataDir, testEnv, type TestService } from '../../support/service';

const json = (auth: Record<string, string>) => ({ ...auth, 'Content-Type': 'application/json' });

describe('HTTP edge', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService({ env: { MLC_BODY_TIMEOUT_MS: '1000', MLC_KEY_REQUESTS_PER_MINUTE: '5' } });
  });
  afterAll(async () => service?.close());

  it('a body trickled byte by byte is cut off: 408, the connection closed, long before it would end', async () => {
    const { port } = new URL(service.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/keys HTTP/1.1\r\nHost: x\r\nAuthorization: ${service.auth.Authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const trickle = setInterval(() => {
      if (socket.destroyed) return;
      sent++;
      socket.write(' ');
    }, 100);
    await closed;
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"error":"request_timeout"');
    expect(sent).toBeLessThan(100); // 1000 bytes at 10 a second would take 100 s
  });

  it("slow headers and whole requests are bounded by Node's own timeouts, set from the configuration", () => {
    // Node checks these every 30 s (connectionsCheckingInterval): the backstop behind the precise body deadline.
    const server = service.app.getHttpServer() as import('node:http').Server;
    expect([server.headersTimeout, server.requestTimeout]).toEqual([20_000, 21_000]);
  });

  it('bodies over 1 MiB answer 413 on every route that takes one', async () => {
    // The default body deadline here: the 413 comes once the body is drained, which a loaded machine may take over 1 s for.
    const roomy = await startService();
    try {
      const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
      const routes = [
        ['POST', '/api/keys'],
        ['POST', '/api/connections'],
        ['PUT', '/api/connections/c1/mapping'],
        ['PUT', '/api/connections/c1'],
        ['POST', '/webhooks/gusto'],
        ['POST', '/api/connections/c1/gusto/confirm'],
      ];
      const statuses: string[] = [];
      for (const [method, path] of routes) {
        const res = await fetch(`${roomy.url}${path}`, { method, headers: json(roomy.auth), body: big });
        statuses.push(`${method} ${path}: ${res.status}`);
      }
      expect(statuses).toEqual(routes.map(([method, path]) => `${method} ${path}: 413`));
    } finally {
      await roomy.close();
    }
  });

  it('an API key is held to MLC_KEY_REQUESTS_PER_MINUTE on /api: then 429 with Retry-After; the admin token is not', async () => {
    const created = await fetch(`${service.url}/api/keys`, {
      method: 'POST',
      headers: json(service.auth),
      body: JSON.stringify({ name: 'busy script', role: 'auditor', connections: '*' }),
    });
    const key = { Authorization: `Bearer ${((await created.json()) as { secret: string }).secret}` };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${service.url}/api/connections`, { headers: key });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(((await res.json()) as { error: string }).error).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    for (let i = 0; i < 8; i++)
      expect((await fetch(`${service.url}/api/connections`, { headers: service.auth })).status).toBe(200);
  });

  it('50 wrong tokens in a row: throttled after 10, a few log lines, every one counted in /metrics', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push(
        (
          await fetch(`${service.url}/api/connections`, {
            headers: { Authorization: `Bearer wrong-${i}-abcdefghijkl` },
          })
        ).status,
      );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    const logged = service.logs.filter((l) => l.includes('admin API refused'));
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.length).toBeLessThanOrEqual(5);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('mlc_failed_sign_ins_total{throttled="false"} 10');
    expect(metrics).toContain('mlc_failed_sign_ins_total{throttled="true"} 40');
  });
});

describe('production edge: /docs only with MLC_DOCS=1, /metrics behind a key unless MLC_METRICS_PUBLIC=1', () => {
  it('closes /docs and /metrics by default, opens them when asked', async () => {
    const closed = await startService({ env: { NODE_ENV: 'production' } });
    try {
      expect((await fetch(`${closed.url}/docs`)).status).toBe(404);
      expect((await fetch(`${closed.url}/metrics`)).status).toBe(401);
      const withToken = await fetch(`${closed.url}/metrics`, { headers: closed.auth });
      expect(withToken.status).toBe(200);
      expect(await withToken.text()).toContain('mlc_postings_total');
    } finally {
      await closed.close();
    }
    const open = await startService({ env: { NODE_ENV: 'production', MLC_DOCS: '1', MLC_METRICS_PUBLIC: '1' } });
    try {
      expect((await fetch(`${open.url}/docs`)).status).toBe(200);
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('HOST', () => {
  it('binds the interface named (the built service, as `npm start` runs it)', async () => {
    const dataDir = tempDataDir();
    const child = await spawnService({ ...testEnv(dataDir), PORT: '0', HOST: '127.0.0.1' });
    try {
      expect(child.output.find((l) => l.includes('ml-connector listening'))).toContain('"host":"127.0.0.1"');
      expect((await fetch(`${child.url}/health`)).status).toBe(200);
    } finally {
      await child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the handshake window opened by a key', () => {
  it('records the key (id and name) as the actor of WebhookHandshakeWindowOpened', async () => {
    const service = await startService({ env: { GUSTO_WEBHOOK_VERIFICATION_TOKEN: undefined } });
    try {
      const created = await fetch(`${service.url}/api/keys`, {
        method: 'POST',
        headers: json(service.auth),
        body: JSON.stringify({ name: 'webhook admin', role: 'admin', connections: '*' }),
      });
      const key = (await created.json()) as { id: string; secret: string };
      const opened = await fetch(`${service.url}/api/webhooks/gusto/handshake`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key.secret}` },
      });
      expect(opened.status).toBe(200);
      const { EVENT_STORE } = await import('../../../src/application/ports/event-store.port');
      const events = await service.app.get(EVENT_STORE).readStream('webhook-verification-gusto');
      expect(events.pop().metadata).toMatchObject({ actor: `key:${key.id}`, actorName: 'webhook admin' });
    } finally {
      await service.close();
    }
  });
});
