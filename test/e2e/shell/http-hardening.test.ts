import { startService, type TestService } from '../../support/service';

/** The edge a stranger meets: security headers everywhere, no caching of /api, and guessing the admin token gets nowhere. */
describe('HTTP hardening', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => service?.close());

  it.each(['/health', '/api/connections', '/webhooks/gusto', '/docs', '/nope'])(
    'sends security headers on %s',
    async (path) => {
      const res = await fetch(`${service.url}${path}`, { headers: path.startsWith('/api') ? service.auth : {} });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    },
  );

  it('marks /api answers no-store', async () => {
    const res = await fetch(`${service.url}/api/connections`, { headers: service.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('throttles and logs a run of wrong admin tokens: 10 a minute get 401, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${service.url}/api/connections`, {
        headers: { Authorization: `Bearer guess-${i}-0123456789` },
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const logged = service.logs.filter((l) => l.includes('admin API refused'));
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.length).toBeLessThanOrEqual(5);
    expect(logged.some((l) => l.includes('"throttled":true'))).toBe(true);
    expect(service.logs.join('\n')).not.toContain('guess-1-0123456789');
  });
});
