/**
 * "Connect to Gusto" from the console (issue 16): the authorize route takes a `returnTo` inside the console,
 * and after Gusto's consent the callback sends the browser back there (success or not). Only same-origin
 * paths under /console/ are accepted. Over real HTTP against the Gusto sandbox.
 */
import { createConnection, startWorld, type World } from '../../integration/connections/harness';
import { apiCall } from '../../support/service';

describe('Gusto authorization from the console: returnTo', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => world?.close());

  /** Our authorize → Gusto's consent (the sandbox approves) → the callback URL Gusto sends the browser to. */
  async function consent(
    connectionId: string,
    companyUuid: string,
    returnTo: string,
    nameCompany = true,
  ): Promise<URL> {
    const named = nameCompany ? `&companyUuid=${companyUuid}` : '';
    const start = await world.api(
      'GET',
      `/api/connections/${connectionId}/gusto/authorize?returnTo=${encodeURIComponent(returnTo)}${named}`,
    );
    expect(start.status).toBe(302);
    const gustoUrl = new URL(start.headers.get('location')!);
    gustoUrl.searchParams.set('company_uuid', companyUuid);
    const approved = await fetch(gustoUrl, { redirect: 'manual' });
    return new URL(approved.headers.get('location')!);
  }

  it('after the callback the browser goes back to the console path it came from, told that Gusto is connected', async () => {
    const id = await createConnection(world, {}, 'Return Ltd');
    const company = world.gusto.scenario.createCompany({ name: 'Return Co' } as never).uuid;
    const callback = await consent(id, company, `/console/connections/${id}?tab=gusto`);
    const back = await apiCall(world.service.url, 'GET', `/oauth/gusto/callback?${callback.searchParams.toString()}`);
    expect(back.status).toBe(302);
    const location = back.headers.get('location')!;
    expect(location.startsWith('/console/')).toBe(true);
    const target = new URL(location, 'http://service.invalid');
    expect(target.pathname).toBe(`/console/connections/${id}`);
    expect(Object.fromEntries(target.searchParams)).toEqual({ tab: 'gusto', gusto: 'connected' });
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto.status).toBe('connected');

    // The same callback again (a replayed state): back to the console too, naming what went wrong.
    const replay = await apiCall(world.service.url, 'GET', `/oauth/gusto/callback?${callback.searchParams.toString()}`);
    expect(replay.status).toBe(302);
    const refused = new URL(replay.headers.get('location')!, 'http://service.invalid');
    expect(refused.pathname).toBe(`/console/connections/${id}`);
    expect(refused.searchParams.get('gusto')).toBe('failed');
    expect(refused.searchParams.get('error')).toMatch(/^authorization_state_/);
  });

  it('a company not named at the start comes back as gusto=awaiting_confirmation with the company, for the console to confirm', async () => {
    const id = await createConnection(world, {}, 'Confirm Ltd');
    const company = world.gusto.scenario.createCompany({ name: 'Confirm Co' } as never).uuid;
    const callback = await consent(id, company, '/console/#/connections', false);
    const back = await apiCall(world.service.url, 'GET', `/oauth/gusto/callback?${callback.searchParams.toString()}`);
    expect(back.status).toBe(302);
    const target = new URL(back.headers.get('location')!, 'http://service.invalid');
    expect(target.pathname).toBe('/console/');
    expect(target.hash).toBe('#/connections');
    expect(Object.fromEntries(target.searchParams)).toEqual({
      gusto: 'awaiting_confirmation',
      companyUuid: company,
      companyName: 'Confirm Co',
    });
    const confirmed = await world.api('POST', `/api/connections/${id}/gusto/confirm`, { companyUuid: company });
    expect(confirmed.status).toBe(200);
    expect((await world.api('GET', `/api/connections/${id}`)).body.gusto.status).toBe('connected');
  });

  it('a refusal at Gusto comes back to the console as gusto=failed', async () => {
    const id = await createConnection(world, {}, 'Denied Ltd');
    const start = await world.api(
      'GET',
      `/api/connections/${id}/gusto/authorize?returnTo=${encodeURIComponent('/console/connections')}`,
    );
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const back = await apiCall(
      world.service.url,
      'GET',
      `/oauth/gusto/callback?error=access_denied&state=${encodeURIComponent(state)}`,
    );
    expect(back.status).toBe(302);
    const target = new URL(back.headers.get('location')!, 'http://service.invalid');
    expect(target.pathname).toBe('/console/connections');
    expect(Object.fromEntries(target.searchParams)).toEqual({ gusto: 'failed', error: 'gusto_authorization_denied' });
  });

  it('only same-origin paths under /console/ are accepted (400 invalid_return_to); without returnTo the callback answers JSON as before', async () => {
    const id = await createConnection(world, {}, 'Strict Ltd');
    for (const bad of [
      'https://evil.example/console/',
      '//evil.example/console/',
      '/api/keys',
      '/console/../api/keys',
      '/console/%2e%2e/api',
      '/console\\..\\api',
      '/consolex',
      'console/connections',
      '/console/\nx',
    ]) {
      const res = await world.api('GET', `/api/connections/${id}/gusto/authorize?returnTo=${encodeURIComponent(bad)}`);
      expect([bad, res.status, res.body.error]).toEqual([bad, 400, 'invalid_return_to']);
    }
    const company = world.gusto.scenario.createCompany({ name: 'Plain Co' } as never).uuid;
    const start = await world.api('GET', `/api/connections/${id}/gusto/authorize?companyUuid=${company}`);
    const gustoUrl = new URL(start.headers.get('location')!);
    gustoUrl.searchParams.set('company_uuid', company);
    const callback = new URL((await fetch(gustoUrl, { redirect: 'manual' })).headers.get('location')!);
    const done = await apiCall(world.service.url, 'GET', `/oauth/gusto/callback?${callback.searchParams.toString()}`);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ connectionId: id, gusto: { companyUuid: company, status: 'connected' } });
  });
});
