/**
 * A connection's Acumatica URL is outside input, and the service calls it with the customer's credentials
 * (issue: a hosted service). Internal addresses are refused in every spelling unless the operator lists the
 * host in MLC_ACUMATICA_ALLOWED_HOSTS; redirects are never followed, so no credential leaves for another host.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DnsOutboundUrlPolicy } from '../../../src/adapters/outbound/network/outbound-url-policy';
import { ACUMATICA_CLIENT_SECRET, ACUMATICA_PASSWORD, oauthAcumatica, startWorld, type World } from './harness';

describe('the outbound URL policy', () => {
  const names: Record<string, string[]> = {
    'intranet.example': ['10.0.0.1'],
    'acme.acumatica.example': ['203.0.113.5'],
    'sneaky.example': ['203.0.113.9', '127.0.0.1'],
  };
  const policy = (httpsOnly = false, allowedHosts: string[] = ['sandbox.local']) =>
    new DnsOutboundUrlPolicy({
      httpsOnly,
      allowedHosts,
      resolve: async (host) =>
        names[host] ?? (/^[\d.]+$|:/.test(host) ? [host] : Promise.reject(new Error('ENOTFOUND'))),
    });

  it.each([
    ['http://127.0.0.1:4020', 'address_not_allowed'],
    ['http://0x7f000001/', 'address_not_allowed'],
    ['http://2130706433/', 'address_not_allowed'],
    ['http://[::1]/', 'address_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', 'address_not_allowed'],
    ['http://169.254.169.254/latest/meta-data', 'address_not_allowed'],
    ['http://0.0.0.0/', 'address_not_allowed'],
    ['http://[fe80::1]/', 'address_not_allowed'],
    ['http://192.168.1.10/', 'address_not_allowed'],
    ['http://intranet.example/', 'address_not_allowed'],
    ['http://sneaky.example/', 'address_not_allowed'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['gopher://acme.acumatica.example/', 'scheme_not_allowed'],
    ['https://user:pw@acme.acumatica.example/', 'credentials_in_url'],
    ['https://nowhere.invalid/', 'host_unresolvable'],
    ['not a url', 'not_a_url'],
  ])('refuses %s (%s)', async (url, rule) => {
    expect(await policy().check(url)).toMatchObject({ ok: false, rule });
  });

  it('allows a public host, and an internal one listed by name', async () => {
    expect(await policy().check('https://acme.acumatica.example/')).toEqual({ ok: true });
    expect(await policy().check('http://sandbox.local:4020')).toEqual({ ok: true });
    expect(await policy(false, ['127.0.0.1']).check('http://127.0.0.1:4020')).toEqual({ ok: true });
  });

  it('requires https in production', async () => {
    expect(await policy(true).check('http://acme.acumatica.example/')).toMatchObject({
      ok: false,
      rule: 'https_required',
    });
    expect(await policy(true).check('https://acme.acumatica.example/')).toEqual({ ok: true });
  });
});

/** A server that records what reaches it and answers every request with `answer`. */
async function recordingServer(
  answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; url: string; port: number; seen: Array<{ method: string; path: string; body: string }> }> {
  const seen: Array<{ method: string; path: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}`, port, seen };
}

describe('connections refuse internal Acumatica URLs over real HTTP (only `localhost` allowed here)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ service: { env: { MLC_ACUMATICA_ALLOWED_HOSTS: 'localhost' } } });
  });
  afterAll(async () => world?.close());

  it.each([
    ['the sandbox by address', () => world.acumatica.url],
    ['the metadata service', () => 'http://169.254.169.254/'],
    ['IPv6 loopback', () => 'http://[::1]/'],
    ['a file', () => 'file:///etc/passwd'],
    ['loopback spelled in hex', () => `http://0x7f000001:${new URL(world.acumatica.url).port}`],
  ])('answers 400 naming the rule for %s, and no request leaves the service', async (_name, url) => {
    const before = world.acumatica.requests.length;
    const res = await world.api('POST', '/api/connections', {
      name: 'Internal',
      acumatica: oauthAcumatica({ baseUrl: url() }),
    });
    expect(res.status).toBe(400);
    // A file: URL is already refused by the body's schema (validation_failed); the others by the address policy.
    expect(['acumatica_url_not_allowed', 'validation_failed']).toContain(res.body.error);
    expect(JSON.stringify(res.body.details)).toMatch(/acumatica\.baseUrl/);
    expect(world.acumatica.requests.length).toBe(before);
  });

  it('accepts the sandbox under its allowed name, and ping works through it', async () => {
    const res = await world.api('POST', '/api/connections', {
      name: 'Allowed',
      acumatica: oauthAcumatica({ baseUrl: world.acumatica.url.replace('127.0.0.1', 'localhost') }),
    });
    expect(res.status).toBe(201);
    const ping = await world.api('POST', `/api/connections/${res.body.id}/ping`);
    expect(ping.body.acumatica.ok).toBe(true);
  });

  it('never follows a redirect: credentials do not reach another host', async () => {
    const elsewhere = await recordingServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","expires_in":3600}'),
    );
    const redirector = await recordingServer((req, res) =>
      res.writeHead(req.method === 'POST' ? 307 : 302, { location: `${elsewhere.url}/steal${req.url ?? ''}` }).end(),
    );
    try {
      const created = await world.api('POST', '/api/connections', {
        name: 'Redirecting',
        acumatica: oauthAcumatica({ baseUrl: `http://localhost:${redirector.port}` }),
      });
      expect(created.status).toBe(201);
      const ping = await world.api('POST', `/api/connections/${created.body.id}/ping`);
      expect(ping.status).toBe(200);
      expect(ping.body.acumatica.ok).toBe(false);
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(elsewhere.seen).toEqual([]);
      expect(JSON.stringify(ping.body)).not.toContain(ACUMATICA_PASSWORD);
      expect(JSON.stringify(ping.body)).not.toContain(ACUMATICA_CLIENT_SECRET);
    } finally {
      redirector.server.close();
      elsewhere.server.close();
    }
  });
});
