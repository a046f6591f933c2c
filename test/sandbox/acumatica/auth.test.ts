import { connect } from 'node:net';
import { AcumaticaSandbox, startAcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { call, entity, fixture, fixtureJson, keyPaths, sorted, tokenResponse } from './support';

let sb: AcumaticaSandbox;
beforeEach(async () => {
  sb = await startAcumaticaSandbox();
});
afterEach(() => sb.close());

const login = (body: Record<string, unknown>) => call(sb, 'POST', '/entity/auth/login', { body });
const cookieOf = (r: { headers: Headers }): string =>
  r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
const goodLogin = () =>
  login({ name: sb.users[0].username, password: sb.users[0].password, tenant: sb.tenant, branch: 'HEADOFFICE' });

describe('OAuth token endpoint', () => {
  it('password grant answers the sample shape with 3600 s tokens and the scope', async () => {
    const r = await tokenResponse(sb);
    expect(r.status).toBe(200);
    expect(sorted(keyPaths(r.json))).toEqual(sorted(keyPaths(fixtureJson('oauth-token.response.json'))));
    expect(r.json).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'api offline_access' });
    expect(sb.stats.tokenCalls).toBe(1);
  });
  it('gives no refresh token without offline_access', async () => {
    const r = await tokenResponse(sb, { scope: 'api' });
    expect(r.status).toBe(200);
    expect(r.json.refresh_token).toBeUndefined();
  });
  it.each([
    [{ client_id: 'not-a-guid@AcmeCorp' }, 'invalid_client'],
    [{ client_id: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD' }, 'invalid_client'],
    [{ client_id: '11111111-2222-3333-4444-555555555555@AcmeCorp' }, 'invalid_client'],
    [{ client_secret: 'wrong' }, 'invalid_client'],
    [{ password: 'wrong' }, 'invalid_grant'],
    [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    [{ scope: 'offline_access' }, 'invalid_scope'],
    [{ scope: 'api:offline_access' }, 'invalid_scope'],
  ])('rejects %j with 400 %s', async (extra, error) => {
    const r = await tokenResponse(sb, extra);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe(error);
  });
  it('tokens expire after 3600 s of sandbox time; refresh rotates the refresh token', async () => {
    const first = (await tokenResponse(sb)).json;
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: first.access_token })).status).toBe(200);
    sb.clock.advance(3600_000);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: first.access_token })).status).toBe(401);
    const refresh = (rt: string) =>
      call(sb, 'POST', '/identity/connect/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: rt,
          client_id: sb.clients[0].clientId,
          client_secret: sb.clients[0].clientSecret,
        }).toString(),
      });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: second.json.access_token })).status).toBe(200);
    expect((await refresh(first.refresh_token)).json).toEqual({ error: 'invalid_grant' });
    expect(sb.stats.refreshes).toBe(1);
  });
  it('the refresh chain ends 30 days after the first grant', async () => {
    let t = (await tokenResponse(sb)).json;
    for (let day = 0; day < 30; day++) {
      sb.clock.advance(24 * 3600_000);
      const r = await call(sb, 'POST', '/identity/connect/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: t.refresh_token,
          client_id: sb.clients[0].clientId,
          client_secret: sb.clients[0].clientSecret,
        }).toString(),
      });
      if (day < 29) t = r.json;
      else expect(r.json.error).toBe('invalid_grant');
    }
  });
});

describe('cookie sessions', () => {
  it('login → 204 + cookies that authenticate; logout ends the session', async () => {
    const r = await goodLogin();
    expect(r.status).toBe(204);
    const cookie = cookieOf(r);
    expect(cookie).toContain('.ASPXAUTH=');
    const list = await call(sb, 'GET', entity('/Account?$top=1'), { cookie });
    expect(list.status).toBe(200);
    expect(sb.requests.at(-1)!.auth).toBe('cookie');
    expect((await call(sb, 'POST', '/entity/auth/logout', { cookie, body: '' })).status).toBe(204);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { cookie })).status).toBe(401);
    expect(sb.stats).toMatchObject({ logins: 1, logouts: 1 });
  });
  it('wrong password → 500 PXException "Invalid credentials"; unknown tenant → 500 PXUndefinedCompanyException', async () => {
    const bad = await login({ name: sb.users[0].username, password: 'nope', tenant: sb.tenant });
    expect(bad.status).toBe(500);
    expect(bad.json).toMatchObject({
      exceptionType: 'PX.Data.PXException',
      exceptionMessage: 'Error: Invalid credentials. Please try again.',
    });
    const tenant = await login({ name: sb.users[0].username, password: sb.users[0].password, tenant: 'Other' });
    expect(tenant.status).toBe(500);
    expect(tenant.json.exceptionType).toBe('PX.Data.PXUndefinedCompanyException');
  });
  it('accepts the legacy "company" field and form-urlencoded bodies', async () => {
    expect(
      (await login({ name: sb.users[0].username, password: sb.users[0].password, company: sb.tenant })).status,
    ).toBe(204);
    const form = new URLSearchParams({
      name: sb.users[0].username,
      password: sb.users[0].password,
      tenant: sb.tenant,
    }).toString();
    expect(
      (
        await call(sb, 'POST', '/entity/auth/login', {
          body: form,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(204);
  });
  it('abandoned cookie sessions close after 10 idle minutes', async () => {
    const cookie = cookieOf(await goodLogin());
    sb.clock.advance(9 * 60_000);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { cookie })).status).toBe(200);
    sb.clock.advance(10 * 60_000 + 1);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { cookie })).status).toBe(401);
  });
  it('logout without Content-Length → 411 (IIS)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const sock = connect(sb.port, '127.0.0.1', () =>
        sock.write('POST /entity/auth/logout HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let data = '';
      sock.on('data', (c) => (data += c.toString()));
      sock.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
      sock.on('error', reject);
    });
    expect(status).toBe(411);
  });
  it('API login limit: sessions over maxSessions are refused (opaque 429 by default, 500 "API Login Limit" by knob)', async () => {
    await sb.close();
    sb = await startAcumaticaSandbox({ licence: { maxSessions: 2 } });
    expect((await goodLogin()).status).toBe(204);
    expect((await tokenResponse(sb)).status).toBe(200);
    const third = await goodLogin();
    expect(third.status).toBe(429);
    expect(third.text).toBe(fixtureJson<{ body: string }>('error-429.response.json').body);
    expect(third.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(third.headers.get('retry-after')).toBeNull();
    expect((await tokenResponse(sb)).status).toBe(429);
    sb.knobs.loginLimitResponse = 'message-500';
    const msg = await goodLogin();
    expect(msg.status).toBe(500);
    expect(msg.json.exceptionMessage).toContain('API Login Limit');
    expect(sb.stats.loginLimitRejections).toBe(3);
    expect(sb.liveSessions()).toBe(2);
    sb.clock.advance(3600_000); // cookie idles out, OAuth session ends with its token
    expect((await goodLogin()).status).toBe(204);
  });
});

describe('versions and unauthenticated access', () => {
  it('GET /entity lists the offered Default versions in the sample shape', async () => {
    const r = await call(sb, 'GET', '/entity');
    expect(r.status).toBe(200);
    expect(sorted(keyPaths(r.json))).toEqual(
      sorted(keyPaths(JSON.parse(fixture('entity-versions.get.response.json')))),
    );
    const defaults = r.json.endpoints
      .filter((e: { name: string }) => e.name === 'Default')
      .map((e: { version: string }) => e.version);
    expect(defaults).toEqual(['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001']);
  });
  it('versions are configurable', async () => {
    await sb.close();
    sb = await startAcumaticaSandbox({ versions: ['23.200.001'] });
    const r = await call(sb, 'GET', '/entity');
    expect(r.json.endpoints.filter((e: { name: string }) => e.name === 'Default')).toHaveLength(1);
  });
  it('without auth every /entity path is 401, even an unknown version; with auth an unknown version is 404', async () => {
    expect((await call(sb, 'GET', '/entity/Default/24.200.001/Account')).status).toBe(401);
    expect((await call(sb, 'GET', '/entity/Default/99.999.999/Account')).status).toBe(401);
    expect((await call(sb, 'GET', '/entity/Default/24.200.001/Account', { token: 'garbage' })).status).toBe(401);
    expect(sb.requests.at(-1)!.auth).toBe('invalid');
    const tok = (await tokenResponse(sb)).json.access_token;
    expect((await call(sb, 'GET', '/entity/Default/99.999.999/Account', { token: tok })).status).toBe(404);
    expect((await call(sb, 'GET', '/entity/Default/26.200.001/Account', { token: tok })).status).toBe(404);
    expect((await call(sb, 'GET', '/entity/Default/24.200.001/Nope', { token: tok })).status).toBe(404);
  });
});

describe('scenarios: password reset, revoked client', () => {
  const form = (fields: Record<string, string>) =>
    call(sb, 'POST', '/identity/connect/token', {
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it("a password reset ends the user's tokens, refresh tokens and cookie sessions; the old password is refused, the new one works", async () => {
    const { clientId, clientSecret } = sb.clients[0];
    const { username, password } = sb.users[0];
    const granted = (await tokenResponse(sb)).json;
    const cookie = cookieOf(await goodLogin());
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: granted.access_token })).status).toBe(200);
    expect(sb.liveSessions()).toBe(2);

    expect(sb.resetPassword(username, 'N3w-Passw0rd!')).toBe(true);
    expect(sb.liveSessions()).toBe(0);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: granted.access_token })).status).toBe(401);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { cookie })).status).toBe(401);
    const refresh = await form({
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect([refresh.status, refresh.json.error]).toEqual([400, 'invalid_grant']);
    const old = await form({
      grant_type: 'password',
      username,
      password,
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'api',
    });
    expect([old.status, old.json.error]).toEqual([400, 'invalid_grant']);
    expect((await login({ name: username, password, tenant: sb.tenant })).json.exceptionMessage).toMatch(
      /Invalid credentials/,
    );
    expect(
      (
        await form({
          grant_type: 'password',
          username,
          password: 'N3w-Passw0rd!',
          client_id: clientId,
          client_secret: clientSecret,
          scope: 'api',
        })
      ).status,
    ).toBe(200);
    expect(sb.resetPassword('nobody', 'x')).toBe(false);
  });

  it('a reset with endSessions: false keeps live tokens working (only new sign-ins need the new password)', async () => {
    const granted = (await tokenResponse(sb)).json;
    sb.resetPassword(sb.users[0].username, 'N3w-Passw0rd!', { endSessions: false });
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: granted.access_token })).status).toBe(200);
  });

  it('a revoked client: its tokens stop at once and the token endpoint answers invalid_client', async () => {
    const { clientId, clientSecret } = sb.clients[0];
    const granted = (await tokenResponse(sb)).json;
    expect(sb.revokeClient(clientId.toLowerCase())).toBe(true);
    expect(sb.clients).toEqual([]);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: granted.access_token })).status).toBe(401);
    const refresh = await form({
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect([refresh.status, refresh.json.error]).toEqual([400, 'invalid_client']);
    expect(sb.revokeClient(clientId)).toBe(false);
  });

  it('changes only this sandbox: another one started afterwards has the seeded password', async () => {
    sb.resetPassword(sb.users[0].username, 'N3w-Passw0rd!');
    const other = await startAcumaticaSandbox();
    try {
      expect((await tokenResponse(other)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('scenario routes over HTTP (/sandbox/…)', () => {
  it('resets a password and revokes a client, unrecorded; 404 for unknown ones, 400 without a password', async () => {
    const { clientId } = sb.clients[0];
    const granted = (await tokenResponse(sb)).json;
    const before = sb.requests.length;
    const reset = await call(sb, 'POST', `/sandbox/users/${sb.users[0].username}/password`, {
      body: { password: 'N3w-Passw0rd!' },
    });
    expect([reset.status, reset.json]).toEqual([200, { username: 'api.gusto', sessionsEnded: true }]);
    expect(sb.users[0].password).toBe('N3w-Passw0rd!');
    expect((await call(sb, 'POST', '/sandbox/users/nobody/password', { body: { password: 'x' } })).status).toBe(404);
    expect((await call(sb, 'POST', '/sandbox/users/api.gusto/password', { body: {} })).status).toBe(400);
    expect(sb.requests.length).toBe(before);
    expect((await call(sb, 'GET', entity('/Account?$top=1'), { token: granted.access_token })).status).toBe(401);

    const revoke = await call(sb, 'POST', `/sandbox/clients/${encodeURIComponent(clientId)}/revoke`, { body: {} });
    expect([revoke.status, revoke.json]).toEqual([200, { clientId, removed: true }]);
    expect(sb.clients).toEqual([]);
    expect((await call(sb, 'POST', `/sandbox/clients/${encodeURIComponent(clientId)}/revoke`)).status).toBe(404);
  });
});
