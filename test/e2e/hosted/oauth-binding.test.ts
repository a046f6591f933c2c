/**
 * OAuth hardening (issue 15), over real HTTP against the Gusto sandbox and the real SQLite store:
 * PKCE on the authorization, the company a code names checked against what the operator asked for, and a
 * connection never bound to a company nobody confirmed — the attack: a code for another company plus a
 * pending `state`.
 */
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { createConnection, GUSTO_CLIENT_ID, startWorld, type World } from '../../integration/connections/harness';

describe('Gusto OAuth: PKCE, the company confirmed, the state bound to who started it', () => {
  let world: World;
  let companyA: string;
  let companyB: string;
  beforeEach(async () => {
    world = await startWorld();
    companyA = world.gusto.scenario.createCompany({ name: 'Acme Payroll Co' } as never).uuid;
    companyB = world.gusto.scenario.createCompany({ name: 'Mallory Holdings' } as never).uuid;
  });
  afterEach(async () => world?.close());

  const startAuthorization = async (connectionId: string, query = '', headers?: Record<string, string>) => {
    const start = await world.api(
      'GET',
      `/api/connections/${connectionId}/gusto/authorize${query}`,
      undefined,
      headers,
    );
    if (start.status !== 302) throw new Error(`authorize: ${start.status} ${JSON.stringify(start.body)}`);
    return new URL(start.headers.get('location')!);
  };
  /** The browser at Gusto's consent page, choosing `company`; answers the callback query Gusto sends back. */
  const consent = async (gustoUrl: URL, company: string) => {
    const url = new URL(gustoUrl);
    url.searchParams.set('company_uuid', company);
    return new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams;
  };
  const callback = (params: URLSearchParams) => world.api('GET', `/oauth/gusto/callback?${params}`, undefined, {});
  const streamTypes = async (stream: string) =>
    (await world.service.app.get<EventStore>(EVENT_STORE).readStream(stream)).map((e) => e.type);
  async function newKey(name: string, role: string, connections: '*' | string[]) {
    const res = await world.api('POST', '/api/keys', { name, role, connections });
    return { id: res.body.id as string, auth: { Authorization: `Bearer ${res.body.secret}` } };
  }

  it('the authorization request carries PKCE (S256), and the code exchange proves it to Gusto', async () => {
    const id = await createConnection(world);
    const gustoUrl = await startAuthorization(id, `?companyUuid=${companyA}`);
    expect(gustoUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = gustoUrl.searchParams.get('code_challenge')!;
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await callback(await consent(gustoUrl, companyA))).status).toBe(200);
    // The sandbox checked SHA-256(code_verifier) against the challenge (a mismatch is invalid_grant: next test).
    expect(world.gusto.stats.pkceVerified).toBe(1);
  });

  it('attack: a code for another company (obtained without our PKCE challenge) plus a pending state does not bind the connection', async () => {
    const id = await createConnection(world);
    const ours = await startAuthorization(id);
    const state = ours.searchParams.get('state')!;
    // Mallory authorizes her own company at Gusto, outside our flow, and keeps the code…
    const own = new URL(`${world.gusto.url}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      client_id: GUSTO_CLIENT_ID,
      redirect_uri: 'http://127.0.0.1:9/oauth/gusto/callback',
      response_type: 'code',
      state: 'mallory',
    }))
      own.searchParams.set(k, v);
    const code = (await consent(own, companyB)).get('code')!;
    // …and sends the victim's browser to our callback with it and the victim's pending state.
    const forged = await callback(new URLSearchParams({ code, state }));
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('gusto_authorization_rejected');
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto).toEqual({ status: 'not_connected' });
    expect(await streamTypes(`gusto-credentials-${companyB}`)).toEqual([]);
    expect(JSON.stringify(forged.body)).not.toContain(companyB);
  });

  it('a code for another company than the one the operator named is refused (409), the state spent, nothing bound', async () => {
    const id = await createConnection(world);
    const gustoUrl = await startAuthorization(id, `?companyUuid=${companyA}`);
    const params = await consent(gustoUrl, companyB);
    const refused = await callback(params);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('gusto_company_mismatch');
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto).toEqual({ status: 'not_connected' });
    expect(await streamTypes(`gusto-credentials-${companyB}`)).toEqual([]);
    expect((await callback(params)).body.error).toBe('authorization_state_unknown');
    expect((await world.api('GET', `/api/connections/${id}/gusto/authorize?companyUuid=not-a-uuid`)).status).toBe(400);
  });

  it('without a named company the callback only shows the company; the principal who started it must confirm it', async () => {
    const id = await createConnection(world);
    const starter = await newKey('starter', 'operator', [id]);
    const other = await newKey('other operator', 'operator', [id]);
    const gustoUrl = await startAuthorization(id, '', starter.auth);
    const shown = await callback(await consent(gustoUrl, companyB));
    expect(shown.status).toBe(202);
    expect(shown.body).toEqual({
      connectionId: id,
      gusto: { companyUuid: companyB, companyName: 'Mallory Holdings', status: 'awaiting_confirmation' },
      confirm: { method: 'POST', path: `/api/connections/${id}/gusto/confirm`, body: { companyUuid: companyB } },
    });
    // Not bound yet: no credentials, the connection not connected, polls and postings cannot use it.
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto).toEqual({ status: 'not_connected' });
    expect(await streamTypes(`gusto-credentials-${companyB}`)).toEqual([]);

    const confirm = (headers: Record<string, string> | undefined, companyUuid: string) =>
      world.api('POST', `/api/connections/${id}/gusto/confirm`, { companyUuid }, headers);
    const byOther = await confirm(other.auth, companyB);
    expect(byOther.status).toBe(403);
    expect(byOther.body.error).toBe('authorization_started_by_another');
    expect((await confirm(undefined, companyB)).status).toBe(403); // not even the admin token: the state is the starter's
    expect((await confirm(starter.auth, companyA)).status).toBe(404);
    const confirmed = await confirm(starter.auth, companyB);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ connectionId: id, gusto: { companyUuid: companyB, status: 'connected' } });
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto).toEqual({
      companyUuid: companyB,
      status: 'connected',
    });
    const events = await world.service.app.get<EventStore>(EVENT_STORE).readStream(`connection-${id}`);
    const authorized = events.find((e) => e.type === 'GustoAuthorized')!;
    expect(authorized.metadata).toMatchObject({ actor: `key:${starter.id}`, actorName: 'starter' });
    expect(events.find((e) => e.type === 'GustoAuthorizationStarted')!.metadata).toMatchObject({
      actor: `key:${starter.id}`,
      actorName: 'starter',
    });
    expect(await streamTypes(`gusto-credentials-${companyB}`)).toEqual(['GustoTokensIssued']);
    // Spent: a second confirmation finds nothing.
    expect((await confirm(starter.auth, companyB)).status).toBe(404);
  });
});
