import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { authorize, connectedWorld, createConnection, startWorld, type World } from './harness';

describe('Gusto OAuth dance (service + Gusto sandbox over HTTP, SQLite store)', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('authorizes a connection: 302 with an unguessable state, callback binds the company, GET shows it', async () => {
    world = await startWorld();
    const company = world.gusto.scenario.createCompany({ name: 'Acme Payroll Co' } as never);
    const id = await createConnection(world);
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto).toEqual({ status: 'not_connected' });

    const start = await world.api('GET', `/api/connections/${id}/gusto/authorize?companyUuid=${company.uuid}`);
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${world.gusto.url}/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe('test-gusto-client');
    expect(location.searchParams.get('response_type')).toBe('code');
    const state = location.searchParams.get('state')!;
    expect(state.startsWith(`${id}.`)).toBe(true);
    expect(state.length).toBeGreaterThan(id.length + 40);

    location.searchParams.set('company_uuid', company.uuid);
    const approved = await fetch(location, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    const callback = await world.api('GET', `/oauth/gusto/callback?${back.searchParams}`, undefined, {});
    expect(callback.status).toBe(200);
    expect(callback.body).toEqual({ connectionId: id, gusto: { companyUuid: company.uuid, status: 'connected' } });

    const view = await world.api('GET', `/api/connections/${id}`);
    expect(view.body.gusto).toEqual({ companyUuid: company.uuid, status: 'connected' });
    const list = await world.api('GET', '/api/connections');
    expect(list.body.next).toBeNull();
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);

    // Single use: the same state (and code) replayed is refused before Gusto is asked anything.
    const exchanges = world.gusto.stats.codeExchanges;
    const replay = await world.api('GET', `/oauth/gusto/callback?${back.searchParams}`, undefined, {});
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('authorization_state_unknown');
    expect(world.gusto.stats.codeExchanges).toBe(exchanges);

    const ping = await world.api('POST', `/api/connections/${id}/ping`);
    expect(ping.status).toBe(200);
    expect(ping.body.gusto).toEqual({ ok: true, companyUuid: company.uuid, companyName: 'Acme Payroll Co' });
  });

  it('refuses an expired state and a forged one', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const start = await world.api('GET', `/api/connections/${id}/gusto/authorize`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const forged = await world.api(
      'GET',
      `/oauth/gusto/callback?code=x&state=${encodeURIComponent(`${id}.forged`)}`,
      undefined,
      {},
    );
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('authorization_state_unknown');
    world.clock.advance(11 * 60_000);
    const late = await world.api(
      'GET',
      `/oauth/gusto/callback?code=x&state=${encodeURIComponent(state)}`,
      undefined,
      {},
    );
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('authorization_state_expired');
    // A valid state with a code Gusto refuses: 400 in Gusto's words, and the state is spent.
    const again = await world.api('GET', `/api/connections/${id}/gusto/authorize`);
    const fresh = new URL(again.headers.get('location')!).searchParams.get('state')!;
    const badCode = await world.api(
      'GET',
      `/oauth/gusto/callback?code=bogus&state=${encodeURIComponent(fresh)}`,
      undefined,
      {},
    );
    expect(badCode.status).toBe(400);
    expect(badCode.body.error).toBe('gusto_authorization_rejected');
    const reused = await world.api(
      'GET',
      `/oauth/gusto/callback?code=bogus&state=${encodeURIComponent(fresh)}`,
      undefined,
      {},
    );
    expect(reused.body.error).toBe('authorization_state_unknown');
    const missing = await world.api('GET', '/oauth/gusto/callback', undefined, {});
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual(['code: must be present', 'state: must be present']);
    expect(world.gusto.stats.codeExchanges).toBe(0);
    const types = (await world.service.app.get<EventStore>(EVENT_STORE).readStream(`connection-${id}`)).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'ConnectionCreated',
      'GustoAuthorizationStarted',
      'GustoAuthorizationStarted',
      'GustoAuthorizationFailed',
    ]);
  });

  it("refuses to bind a Gusto company already bound to another connection, without naming it (it may be another tenant's)", async () => {
    const connected = await connectedWorld();
    world = connected;
    const other = await createConnection(world, {}, 'Second');
    const refused = await authorize(world, other, connected.companyUuid);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('company_already_connected');
    expect(refused.body.message).not.toContain(connected.connectionId);
    expect(refused.body.message).toContain('another connection');
    expect((await world.api('GET', `/api/connections/${other}`)).body.gusto.status).toBe('not_connected');
    // The original connection may re-authorize its own company.
    expect((await authorize(world, connected.connectionId, connected.companyUuid)).status).toBe(200);
  });
});
