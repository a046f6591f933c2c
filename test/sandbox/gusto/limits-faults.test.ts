import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { call, connect, get, postJson, VERSION } from './helpers';

const frozen = new Date('2026-11-02T12:00:00Z');

describe('Gusto sandbox: rate limit, faults, request log', () => {
  let sb: GustoSandbox;
  let company: string;
  let token: string;
  afterEach(() => sb.close());
  const start = async (options: Parameters<typeof startGustoSandbox>[0] = {}) => {
    sb = await startGustoSandbox({ seed: 51, clock: { now: () => frozen }, ...options }); // frozen: only advance() moves time
    company = sb.scenario.createCompany({ name: 'Limits' }).uuid;
    token = (await connect(sb)).access_token;
  };

  it('200 requests per 60 s per grant by default → 429 with Retry-After; the window resets on the clock', async () => {
    await start();
    for (let i = 0; i < 200; i++) expect((await get(sb, '/v1/token_info', token)).status).toBe(200);
    sb.clock.advance(15_000);
    const limited = await get(sb, '/v1/token_info', token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    sb.clock.advance(45_000);
    expect((await get(sb, '/v1/token_info', token)).status).toBe(200);
    expect(sb.stats.rateLimited).toBe(1);
  });

  it('configurable limit; refreshing does not reset it (counted per grant); another grant has its own budget', async () => {
    await start({ rateLimit: { requests: 3, windowMs: 10_000 } });
    const pair = await connect(sb);
    for (let i = 0; i < 3; i++) expect((await get(sb, '/v1/token_info', pair.access_token)).status).toBe(200);
    const refreshed = await postJson(`${sb.url}/oauth/token`, {
      client_id: sb.config.clientId,
      client_secret: sb.config.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    const res = await get(sb, '/v1/token_info', refreshed.body.access_token);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('10');
    expect((await get(sb, '/v1/token_info', token)).status).toBe(200);
  });

  it('failNext answers the next N matching requests with a status in the documented error shape', async () => {
    await start();
    sb.knobs.failNext('/payrolls', 2, 503);
    const path = `/v1/companies/${company}/payrolls`;
    const first = await get(sb, path, token);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({
      errors: [{ error_key: 'base', category: 'internal_error', message: expect.any(String) }],
    });
    expect((await get(sb, '/v1/token_info', token)).status).toBe(200); // not matching
    expect((await get(sb, path, token)).status).toBe(503);
    expect((await get(sb, path, token)).status).toBe(200);
    sb.knobs.failNext(/employees$/, 1, 500);
    expect((await get(sb, `/v1/companies/${company}/employees`, token)).status).toBe(500);
  });

  it("failNext(…, 'timeout') never answers; latencyMs delays answers", async () => {
    await start();
    sb.knobs.failNext('/v1/token_info', 1, 'timeout');
    const aborted = await fetch(`${sb.url}/v1/token_info`, {
      headers: { authorization: `Bearer ${token}`, 'x-gusto-api-version': VERSION },
      signal: AbortSignal.timeout(300),
    }).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    expect(aborted).toBe('TimeoutError');
    expect(sb.requests.find((r) => r.path === '/v1/token_info')?.status).toBe(0);
    sb.knobs.latencyMs = 200;
    const slow = await fetch(`${sb.url}/v1/token_info`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(50),
    }).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    expect(slow).toBe('TimeoutError');
    sb.knobs.latencyMs = 0;
    expect((await get(sb, '/v1/token_info', token)).status).toBe(200);
  });

  it('records every request; non-GETs to /v1 data paths are flagged (and refused)', async () => {
    await start();
    await get(sb, `/v1/companies/${company}/payrolls?include=totals`, token);
    const write = await call(`${sb.url}/v1/companies/${company}/payrolls/x/cancel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'x-gusto-api-version': VERSION },
    });
    expect(write.status).toBe(404);
    expect(write.body.errors[0].category).toBe('missing_permissions');
    const logged = sb.requests.find((r) => r.path === `/v1/companies/${company}/payrolls`);
    expect(logged).toEqual({
      method: 'GET',
      path: `/v1/companies/${company}/payrolls`,
      query: { include: 'totals' },
      status: 200,
      company,
      time: expect.any(String),
      apiVersion: VERSION,
    });
    expect(sb.nonGetDataRequests()).toEqual([
      expect.objectContaining({ method: 'PUT', path: `/v1/companies/${company}/payrolls/x/cancel`, company }),
    ]);
    expect(sb.requests.some((r) => r.path === '/oauth/token' && r.method === 'POST')).toBe(true); // OAuth is recorded, not flagged
    expect((await call(`${sb.url}/sandbox/non-get-data-requests`)).body).toHaveLength(1);
  });
});
