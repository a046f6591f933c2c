import { createHash } from 'node:crypto';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { authorizeCode, call, connect, get, REDIRECT, systemToken, tokenCall, VERSION } from './helpers';

describe('Gusto sandbox: OAuth', () => {
  let sb: GustoSandbox;
  let companyA: string;
  let companyB: string;
  beforeEach(async () => {
    sb = await startGustoSandbox({ seed: 11, clock: { now: () => new Date('2026-11-02T12:00:00Z') } }); // frozen
    companyA = sb.scenario.createCompany({ name: 'A Co' }).uuid;
    companyB = sb.scenario.createCompany({ name: 'B Co' }).uuid;
  });
  afterEach(() => sb.close());

  it('authorize auto-approves: 302 to redirect_uri with a code and the same state', async () => {
    const { status, location } = await authorizeCode(sb, { state: 'abc 123' });
    expect(status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('abc 123');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('denyAuthorization knob → error=access_denied with the state', async () => {
    sb.knobs.denyAuthorization = true;
    const { status, location } = await authorizeCode(sb);
    expect(status).toBe(302);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('PKCE (S256): the code exchange must prove the challenge; a verifier for a code issued without one is refused', async () => {
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const codeWith = async () =>
      (await authorizeCode(sb, { code_challenge: challenge, code_challenge_method: 'S256' })).location.searchParams.get(
        'code',
      )!;
    const exchange = (code: string, extra: Record<string, string> = {}) =>
      tokenCall(sb, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra });
    const missing = await exchange(await codeWith());
    const wrong = await exchange(await codeWith(), { code_verifier: 'w'.repeat(43) });
    const plainCode = (await authorizeCode(sb)).location.searchParams.get('code')!;
    const injected = await exchange(plainCode, { code_verifier: verifier });
    expect([missing.status, wrong.status, injected.status]).toEqual([400, 400, 400]);
    expect([missing.body.error, wrong.body.error, injected.body.error]).toEqual([
      'invalid_grant',
      'invalid_grant',
      'invalid_grant',
    ]);
    const proven = await exchange(await codeWith(), { code_verifier: verifier });
    expect(proven.status).toBe(200);
    expect(sb.stats.pkceVerified).toBe(1);
    const plain = await authorizeCode(sb, { code_challenge: challenge, code_challenge_method: 'plain' });
    expect(plain.location.searchParams.get('error')).toBe('invalid_request');
  });

  it('rejects an unknown client_id with 400', async () => {
    const { status } = await authorizeCode(sb, { client_id: 'nope' });
    expect(status).toBe(400);
  });

  it('company choice: default most recent; company_uuid param; scenario.authorizeNext (one-shot)', async () => {
    const info = async (t: string) => (await get(sb, '/v1/token_info', t)).body.resource.uuid;
    expect(await info((await connect(sb)).access_token)).toBe(companyB);
    expect(await info((await connect(sb, companyA)).access_token)).toBe(companyA);
    sb.scenario.authorizeNext(companyA);
    expect(await info((await connect(sb)).access_token)).toBe(companyA);
    expect(await info((await connect(sb)).access_token)).toBe(companyB);
  });

  it('token exchange: JSON and form bodies; the documented response fields', async () => {
    const pair = await connect(sb);
    expect(pair).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 7200,
      refresh_token: expect.any(String),
      created_at: Math.floor(sb.clock.now().getTime() / 1000),
      scope: expect.stringContaining('payrolls:read'),
    });
    const { location } = await authorizeCode(sb);
    const form = new URLSearchParams({
      client_id: sb.config.clientId,
      client_secret: sb.config.clientSecret,
      grant_type: 'authorization_code',
      code: location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
    });
    const res = await call(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-gusto-api-version': VERSION },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(sb.stats.codeExchanges).toBe(2);
  });

  it('checks client credentials, a single-use code, the redirect_uri, and never a secret in the URL', async () => {
    const code = async () => (await authorizeCode(sb)).location.searchParams.get('code') ?? '';
    const c1 = await code();
    expect(
      (
        await tokenCall(sb, {
          grant_type: 'authorization_code',
          code: c1,
          redirect_uri: REDIRECT,
          client_secret: 'wrong',
        })
      ).status,
    ).toBe(401);
    expect(
      (await tokenCall(sb, { grant_type: 'authorization_code', code: c1, redirect_uri: 'http://other/cb' })).body,
    ).toMatchObject({ error: 'invalid_grant' });
    expect((await tokenCall(sb, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT })).status).toBe(
      200,
    );
    const reuse = await tokenCall(sb, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    const inUrl = await call(`${sb.url}/oauth/token?client_secret=${sb.config.clientSecret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: sb.config.clientId,
        client_secret: sb.config.clientSecret,
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: REDIRECT,
      }),
    });
    expect(inUrl.status).toBe(400);
    const c2 = await code();
    sb.clock.advance(11 * 60_000); // codes live 10 minutes
    expect((await tokenCall(sb, { grant_type: 'authorization_code', code: c2, redirect_uri: REDIRECT })).status).toBe(
      400,
    );
    expect(sb.stats.invalidGrants).toBe(3);
  });

  it('refresh rotation: the old pair lives until the new access token is first used, then invalid_grant', async () => {
    const first = await connect(sb);
    const refresh = (rt: string) => tokenCall(sb, { grant_type: 'refresh_token', refresh_token: rt });
    const second = (await refresh(first.refresh_token)).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    // a crash before first use: the old refresh token still works, and the old access token too
    expect((await get(sb, '/v1/token_info', first.access_token)).status).toBe(200);
    const third = (await refresh(first.refresh_token)).body;
    expect(third.access_token).toEqual(expect.any(String));
    // first use of a new access token revokes the pair it came from
    expect((await get(sb, '/v1/token_info', third.access_token)).status).toBe(200);
    const dead = await refresh(first.refresh_token);
    expect(dead.status).toBe(400);
    expect(dead.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect((await get(sb, '/v1/token_info', first.access_token)).status).toBe(401);
    expect(sb.stats.refreshCalls).toBe(3);
    expect(sb.stats.invalidGrants).toBe(1);
  });

  it('invalidGrantStatus knob answers invalid_grant with 401 instead', async () => {
    sb.knobs.invalidGrantStatus = 401;
    const res = await tokenCall(sb, { grant_type: 'refresh_token', refresh_token: 'never-issued' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('access tokens expire after 7200 s on the sandbox clock → 401 invalid_token', async () => {
    const pair = await connect(sb);
    sb.clock.advance(7199_000);
    expect((await get(sb, '/v1/token_info', pair.access_token)).status).toBe(200);
    sb.clock.advance(1_000);
    const res = await get(sb, '/v1/token_info', pair.access_token);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].category).toBe('invalid_token');
    expect((await get(sb, '/v1/token_info', 'garbage')).status).toBe(401);
    const fresh = await tokenCall(sb, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect((await get(sb, '/v1/token_info', fresh.body.access_token)).status).toBe(200);
  });

  it('token_info is company-scoped; system tokens name the application', async () => {
    const pair = await connect(sb, companyA);
    const res = await get(sb, '/v1/token_info', pair.access_token);
    expect(res.body).toEqual({
      scope: expect.stringContaining('employees:read'),
      resource: { type: 'Company', uuid: companyA },
      resource_owner: { type: 'CompanyAdmin', uuid: expect.any(String) },
    });
    const sys = await get(sb, '/v1/token_info', await systemToken(sb));
    expect(sys.body.resource.type).toBe('Oauth::Application');
    expect(sys.body.resource_owner).toBeNull();
  });

  it('strict access: another company → 403, an unknown company → 404, a foreign employee → 404', async () => {
    const emp = sb.scenario.createEmployee(companyB, {}).uuid as string;
    const pair = await connect(sb, companyA);
    expect((await get(sb, `/v1/companies/${companyA}/payrolls`, pair.access_token)).status).toBe(200);
    const other = await get(sb, `/v1/companies/${companyB}/payrolls`, pair.access_token);
    expect(other.status).toBe(403);
    expect(other.body.errors[0]).toMatchObject({ metadata: { entity_uuid: companyB } });
    const unknown = await get(sb, '/v1/companies/00000000-0000-4000-8000-000000000000/payrolls', pair.access_token);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ category: 'not_found', error_key: 'request' });
    expect((await get(sb, `/v1/employees/${emp}`, pair.access_token)).status).toBe(404);
    expect(sb.requests.filter((r) => r.path.startsWith('/v1/companies')).every((r) => r.company === companyA)).toBe(
      true,
    );
  });

  it('a system token cannot read company data; a company token cannot manage webhooks', async () => {
    const sys = await systemToken(sb);
    expect((await get(sb, `/v1/companies/${companyA}/payrolls`, sys)).status).toBe(403);
    const pair = await connect(sb, companyA);
    const res = await get(sb, '/v1/webhook_subscriptions', pair.access_token);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].category).toBe('missing_oauth_scopes');
  });
});
