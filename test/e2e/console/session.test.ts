/**
 * The console's session (issue 16) over real HTTP against the sandboxes and the real SQLite store: sign in
 * with a key, the cookie's flags, CSRF on changes, roles and tenants through the cookie, revocation and
 * sign-out holding at the next request, and wrong keys counted with wrong bearer tokens.
 */
import { authorize, connectedWorld, createConnection, type World } from '../../integration/connections/harness';
import { apiCall, startService, TEST_ADMIN_TOKEN } from '../../support/service';
import { newKey, signIn, type BrowserSession } from './support';

describe('console session: cookie sign-in, CSRF, roles and tenants, revocation', () => {
  let world: World & { connectionId: string; companyUuid: string };
  let A: string;
  let B: string;
  let adminKey: { id: string; secret: string };
  let auditorA: { id: string; secret: string };
  let operatorA: { id: string; secret: string };

  beforeAll(async () => {
    world = await connectedWorld();
    A = world.connectionId;
    B = await createConnection(world, {}, 'Beta Ltd');
    const companyB = world.gusto.scenario.createCompany({ name: 'Beta Payroll Co' } as never).uuid;
    expect((await authorize(world, B, companyB)).status).toBe(200);
    adminKey = await newKey(world, 'console admin', 'admin', '*');
    auditorA = await newKey(world, 'A auditor', 'auditor', [A]);
    operatorA = await newKey(world, 'A operator', 'operator', [A]);
  });
  afterAll(async () => world?.close());

  it('POST /api/session sets an httpOnly SameSite=Strict cookie on / for 8 hours that holds no secret in clear', async () => {
    const before = Date.now();
    const session = await signIn(world.service.url, adminKey.secret);
    expect(session.principal).toEqual({
      kind: 'key',
      keyId: adminKey.id,
      name: 'console admin',
      role: 'admin',
      connections: '*',
    });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const attributes = session.setCookie
      .split(';')
      .slice(1)
      .map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes.some((a) => /^Secure$/i.test(a))).toBe(false); // NODE_ENV=test; production: see below
    const expires = Date.parse(attributes.find((a) => a.startsWith('Expires='))!.slice('Expires='.length));
    expect(expires - before).toBeGreaterThan(8 * 3600_000 - 60_000);
    expect(expires - before).toBeLessThan(8 * 3600_000 + 60_000);
    const value = decodeURIComponent(session.cookie.slice('mlc_session='.length));
    expect(value).not.toContain(adminKey.secret.split('_').slice(2).join('_'));
    expect(value).not.toContain(adminKey.id);
    expect(value).not.toContain(session.csrfToken);
    expect(value).not.toMatch(/admin|key:|"/);
  });

  it('the admin token signs in too; GET /api/session answers the same principal; no cookie → 401', async () => {
    const session = await signIn(world.service.url, TEST_ADMIN_TOKEN);
    expect(session.principal).toEqual({ kind: 'admin-token', name: 'admin token', role: 'admin', connections: '*' });
    const again = await session.call('GET', '/api/session');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ principal: session.principal, csrfToken: session.csrfToken });
    expect((await apiCall(world.service.url, 'GET', '/api/session')).status).toBe(401);
    expect((await apiCall(world.service.url, 'GET', '/api/connections')).status).toBe(401);
  });

  it('with the cookie a change needs X-CSRF-Token: missing or wrong → 403 csrf_failed, right → done; bearer calls unchanged', async () => {
    const session = await signIn(world.service.url, adminKey.secret);
    const missing = await session.call('POST', `/api/connections/${A}/ping`, undefined, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe('csrf_failed');
    const wrong = await session.call('POST', `/api/connections/${A}/ping`, undefined, {
      csrf: `${session.csrfToken}x`,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('csrf_failed');
    const right = await session.call('POST', `/api/connections/${A}/ping`);
    expect(right.status).toBe(200);
    expect(right.body.acumatica.ok).toBe(true);
    const reads = await session.call('GET', '/api/connections', undefined, { csrf: null });
    expect(reads.status).toBe(200);
    expect(reads.body.items.map((c: any) => c.id).sort()).toEqual([A, B].sort());
    const bearer = await apiCall(world.service.url, 'POST', `/api/connections/${A}/ping`, undefined, {
      Authorization: `Bearer ${adminKey.secret}`,
    });
    expect(bearer.status).toBe(200);
  });

  it("a tenant key's cookie sees only its connection; the role still applies", async () => {
    const auditor = await signIn(world.service.url, auditorA.secret);
    expect(auditor.principal).toEqual({
      kind: 'key',
      keyId: auditorA.id,
      name: 'A auditor',
      role: 'auditor',
      connections: [A],
    });
    const list = await auditor.call('GET', '/api/connections');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.id)).toEqual([A]);
    expect((await auditor.call('GET', `/api/connections/${A}`)).status).toBe(200);
    expect((await auditor.call('GET', `/api/connections/${B}`)).status).toBe(404);
    const ping = await auditor.call('POST', `/api/connections/${A}/ping`);
    expect(ping.status).toBe(403);
    expect(ping.body.error).toBe('forbidden');
    const operator = await signIn(world.service.url, operatorA.secret);
    expect((await operator.call('POST', `/api/connections/${A}/ping`)).status).toBe(200);
    expect((await operator.call('POST', `/api/connections/${B}/ping`)).status).toBe(404);
    expect((await operator.call('POST', '/api/keys', { name: 'x', role: 'auditor', connections: [A] })).status).toBe(
      403,
    );
  });

  it('a revoked key: its cookie answers 401 at the next request', async () => {
    const key = await newKey(world, 'short-lived', 'operator', '*');
    const session = await signIn(world.service.url, key.secret);
    expect((await session.call('GET', '/api/connections')).status).toBe(200);
    expect((await world.api('DELETE', `/api/keys/${key.id}`)).status).toBe(200);
    const after = await session.call('GET', '/api/connections');
    expect(after.status).toBe(401);
    expect((await session.call('GET', '/api/session')).status).toBe(401);
    expect((await apiCall(world.service.url, 'POST', '/api/session', { key: key.secret })).status).toBe(401);
  });

  it('DELETE /api/session needs the CSRF token, clears the cookie and ends the session: the old cookie is refused', async () => {
    const session: BrowserSession = await signIn(world.service.url, adminKey.secret);
    expect((await session.call('DELETE', '/api/session', undefined, { csrf: null })).status).toBe(403);
    const out = await session.call('DELETE', '/api/session');
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('mlc_session='))!;
    expect(cleared).toMatch(/^mlc_session=;/);
    expect(Date.parse(/Expires=([^;]+)/.exec(cleared)![1])).toBeLessThan(Date.now());
    expect((await session.call('GET', '/api/connections')).status).toBe(401);
    expect((await apiCall(world.service.url, 'DELETE', '/api/session')).status).toBe(204); // no session: nothing to end
  });

  it("the OpenAPI document lists the console's endpoints and the cookie as a way to authenticate", async () => {
    const doc = await apiCall(world.service.url, 'GET', '/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes).toMatchObject({
      cookie: { type: 'apiKey', in: 'cookie', name: 'mlc_session' },
    });
    const paths = doc.body.paths;
    expect(Object.keys(paths['/api/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(paths['/api/connections/{id}/acumatica/accounts'].get).toBeDefined();
    expect(paths['/api/connections/{id}/acumatica/subaccounts'].get).toBeDefined();
    expect(paths['/api/connections/{id}/gusto/payrolls'].get).toBeDefined();
    expect(paths['/api/acumatica/endpoints'].post).toBeDefined();
    expect(paths['/api/connections/{id}/gusto/authorize'].get.parameters.map((p: any) => p.name)).toContain('returnTo');
    expect(Object.keys(paths).some((p) => p.startsWith('/console'))).toBe(false);
  });

  it('sign-ins and sign-outs are in the audit trail with their actor; no key, token or cookie reaches the logs', async () => {
    const session = await signIn(world.service.url, operatorA.secret);
    expect((await session.call('DELETE', '/api/session')).status).toBe(204);
    const started = await world.api('GET', '/api/audit/events?type=ConsoleSessionStarted&limit=1000');
    expect(started.status).toBe(200);
    const mine = started.body.items.filter((e: any) => e.metadata?.actor === `key:${operatorA.id}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.at(-1).data).toEqual({
      sessionId: expect.any(String),
      principal: `key:${operatorA.id}`,
      startedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const ended = await world.api('GET', '/api/audit/events?type=ConsoleSessionEnded&limit=1000');
    expect(
      ended.body.items.some(
        (e: any) => e.data.sessionId === mine.at(-1).data.sessionId && e.metadata.actor === `key:${operatorA.id}`,
      ),
    ).toBe(true);
    const logs = world.service.logs.join('\n');
    expect(logs).toMatch(/console session started/);
    for (const secret of [
      operatorA.secret,
      adminKey.secret,
      TEST_ADMIN_TOKEN,
      session.cookie.slice('mlc_session='.length),
      session.csrfToken,
    ])
      expect(logs).not.toContain(secret);
  });

  it('an altered or made-up cookie is refused (401)', async () => {
    const session = await signIn(world.service.url, adminKey.secret);
    const value = session.cookie.slice('mlc_session='.length);
    const flipped = value.slice(0, -2) + (value.at(-2) === 'A' ? 'B' : 'A') + value.at(-1);
    for (const cookie of [`mlc_session=${flipped}`, 'mlc_session=admin', `mlc_session=${value}.x`]) {
      expect((await apiCall(world.service.url, 'GET', '/api/connections', undefined, { cookie })).status).toBe(401);
    }
  });

  it('a session lasts 8 hours: then its cookie is refused (the browser would have dropped it too)', async () => {
    const session = await signIn(world.service.url, adminKey.secret);
    world.clock.advance(8 * 3600_000 - 60_000);
    expect((await session.call('GET', '/api/session')).status).toBe(200);
    world.clock.advance(2 * 60_000);
    expect((await session.call('GET', '/api/session')).status).toBe(401);
    expect((await session.call('GET', '/api/connections')).status).toBe(401);
  });
});

describe('console sign-in on a fresh service', () => {
  it('wrong keys at sign-in answer 401 and count with wrong bearer tokens: past 10 a minute, 429', async () => {
    const service = await startService();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await apiCall(service.url, 'POST', '/api/session', { key: `mlc_0000000000000000_${'A'.repeat(43)}` }))
            .status,
        );
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await apiCall(service.url, 'GET', '/api/connections', undefined, {
              Authorization: 'Bearer wrong-token-0123456789',
            })
          ).status,
        );
      const throttled = await apiCall(service.url, 'POST', '/api/session', { key: TEST_ADMIN_TOKEN });
      expect(statuses).toEqual(Array(10).fill(401));
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await service.close();
    }
  });

  it('the cookie is Secure', async () => {
    const service = await startService({ env: { NODE_ENV: 'production' } });
    try {
      const res = await apiCall(service.url, 'POST', '/api/session', { key: TEST_ADMIN_TOKEN });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('mlc_session='))!;
      expect(cookie.split(';').map((a) => a.trim())).toEqual(
        expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']),
      );
    } finally {
      await service.close();
    }
  });
});
