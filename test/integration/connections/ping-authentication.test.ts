/**
 * Issue #12: POST /api/connections/:id/ping must prove Acumatica accepts our credentials now, not only that
 * the instance answers. Over real HTTP: the service in-process, the Acumatica sandbox, a password reset or a
 * revoked OAuth client in between.
 */
import {
  ACUMATICA_CLIENT_ID,
  ACUMATICA_PASSWORD,
  connectedWorld,
  createConnection,
  startWorld,
  type World,
} from './harness';

const entityCalls = (world: World, from: number) =>
  world.acumatica.requests
    .slice(from)
    .map((r) => `${r.method} ${r.path.replace(/^\/entity\/Default\/[^/]+/, '')} ${r.status}`);

describe('ping authenticates with Acumatica', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('OAuth: ping ok → the password is reset in Acumatica → ping ok: false, naming authentication; one call per warm ping', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const first = await world.api('POST', `/api/connections/${id}/ping`);
    expect(first.status).toBe(200);
    expect(first.body.acumatica).toMatchObject({ ok: true, endpointVersion: '24.200.001' });

    // A normal ping with a warm token: one authenticated read, nothing else.
    const before = world.acumatica.requests.length;
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);
    expect(entityCalls(world, before)).toEqual(['GET /Account 200']);
    expect(world.acumatica.requests.at(-1)!.auth).toBe('bearer');

    world.acumatica.resetPassword('api.gusto', 'Someone-Else-Changed-It1!');
    const after = world.acumatica.requests.length;
    const refused = await world.api('POST', `/api/connections/${id}/ping`);
    expect(refused.status).toBe(200);
    expect(refused.body.acumatica).toMatchObject({ ok: false, endpointVersion: '24.200.001' });
    expect(refused.body.acumatica.error).toMatch(/^authentication failed/);
    expect(refused.body.acumatica.error).toMatch(/invalid_grant/);
    // The refused token → one fresh sign-in (refresh, then password) → refused: no retry storm.
    expect(entityCalls(world, after)).toEqual([
      'GET /Account 401',
      'POST /identity/connect/token 400',
      'POST /identity/connect/token 400',
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(ACUMATICA_PASSWORD);

    // Put back: ping is ok again (the service signs in with the stored password).
    world.acumatica.resetPassword('api.gusto', ACUMATICA_PASSWORD);
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);
  });

  it('OAuth: a revoked client shows ok: false naming authentication and invalid_client', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);
    world.acumatica.revokeClient(ACUMATICA_CLIENT_ID);
    const refused = await world.api('POST', `/api/connections/${id}/ping`);
    expect(refused.body.acumatica.ok).toBe(false);
    expect(refused.body.acumatica.error).toMatch(/^authentication failed.*invalid_client/);
  });

  it('cookie: a password reset ends the session; ping says authentication failed in Acumatica words', async () => {
    world = await startWorld();
    const id = await createConnection(world, {
      auth: { kind: 'cookie', username: 'api.gusto', password: ACUMATICA_PASSWORD },
    });
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);
    world.acumatica.resetPassword('api.gusto', 'Someone-Else-Changed-It1!');
    const refused = await world.api('POST', `/api/connections/${id}/ping`);
    expect(refused.body.acumatica.ok).toBe(false);
    expect(refused.body.acumatica.error).toMatch(/^authentication failed.*Invalid credentials/);
  });

  it('a wrong endpoint version is still named with the versions offered', async () => {
    world = await startWorld();
    const id = await createConnection(world, { endpointVersion: '26.200.001' });
    const ping = await world.api('POST', `/api/connections/${id}/ping`);
    expect(ping.body.acumatica).toMatchObject({
      ok: false,
      endpointVersion: '26.200.001',
      availableVersions: expect.arrayContaining(['24.200.001']),
    });
    expect(ping.body.acumatica.error).toMatch(/endpoint version 26\.200\.001 is not available/);
  });

  it('Gusto: a refused access token (401, classified "unauthorized" by the adapter) is refreshed once and the ping retried', async () => {
    const connected = await connectedWorld();
    world = connected;
    const refreshes = world.gusto.stats.refreshCalls;
    world.gusto.knobs.failNext(new RegExp(`^/v1/companies/${connected.companyUuid}$`), 1, 401);
    const ping = await world.api('POST', `/api/connections/${connected.connectionId}/ping`);
    expect(ping.body.gusto).toEqual({ ok: true, companyUuid: connected.companyUuid, companyName: 'Acme Payroll Co' });
    expect(world.gusto.stats.refreshCalls).toBe(refreshes + 1);
  });
});
