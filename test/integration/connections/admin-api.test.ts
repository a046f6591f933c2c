import { startWorld, type World } from './harness';

describe('admin API: validation, auth, views', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => world?.close());

  it('answers 400 naming every invalid field', async () => {
    const res = await world.api('POST', '/api/connections', {
      acumatica: {
        baseUrl: 'ftp://erp',
        tenant: '',
        endpointVersion: '24.2',
        auth: { kind: 'oauth2', clientId: 'not-a-guid', username: 'u' },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    const details: string[] = res.body.details;
    for (const field of [
      'name',
      'acumatica.baseUrl',
      'acumatica.tenant',
      'acumatica.endpointVersion',
      'acumatica.auth.clientId',
      'acumatica.auth.clientSecret',
      'acumatica.auth.password',
    ]) {
      expect(details.some((d) => d.startsWith(`${field}: `))).toBe(true);
    }
    expect(details).toContain(
      'acumatica.endpointVersion: endpointVersion must have the form NN.NNN.NNN (e.g. 24.200.001)',
    );
    expect(details).toContain('acumatica.auth.clientId: clientId must have the form GUID@Tenant');
    const kind = await world.api('POST', '/api/connections', {
      name: 'x',
      acumatica: {
        baseUrl: 'https://erp.example.com',
        tenant: 't',
        endpointVersion: '24.200.001',
        auth: { kind: 'basic', username: 'u', password: 'p' },
      },
    });
    expect(kind.body.details).toEqual(['acumatica.auth.kind: kind must be "oauth2" or "cookie"']);
    const missing = await world.api('POST', '/api/connections', { name: 'x' });
    expect(missing.body.details.some((d: string) => d.startsWith('acumatica: '))).toBe(true);
    const badMapping = await world.api('POST', '/api/connections', {
      name: 'x',
      acumatica: {
        baseUrl: 'https://erp.example.com',
        tenant: 't',
        endpointVersion: '24.200.001',
        auth: { kind: 'cookie', username: 'u', password: 'p' },
      },
      mapping: { journal: {} },
    });
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.details.every((d: string) => d.startsWith('mapping.'))).toBe(true);
  });

  it('stores a connection whose Acumatica is unreachable, and never shows secrets', async () => {
    const res = await world.api('POST', '/api/connections', {
      name: 'Unreachable',
      acumatica: {
        baseUrl: 'http://127.0.0.1:1',
        tenant: 'T',
        endpointVersion: '25.200.001',
        auth: {
          kind: 'oauth2',
          clientId: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@T',
          clientSecret: 'cs-123456',
          username: 'u',
          password: 'pw-123456',
        },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Unreachable',
      gusto: { status: 'not_connected' },
      acumatica: {
        baseUrl: 'http://127.0.0.1:1',
        tenant: 'T',
        endpointName: 'Default',
        endpointVersion: '25.200.001',
        auth: { kind: 'oauth2', clientId: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@T', username: 'u' },
      },
      createdAt: expect.any(String),
    });
    const ping = await world.api('POST', `/api/connections/${res.body.id}/ping`);
    expect(ping.status).toBe(200);
    expect(ping.body.acumatica).toMatchObject({ ok: false, endpointVersion: '25.200.001' });
    expect(ping.body.acumatica.error).toMatch(/Acumatica/);
  });

  it('401 without the admin token; 404 for an unknown connection; the callback is public', async () => {
    expect((await world.api('GET', '/api/connections', undefined, {})).status).toBe(401);
    expect((await world.api('GET', '/api/connections/nope')).status).toBe(404);
    expect((await world.api('GET', '/api/connections/nope/gusto/authorize')).body.error).toBe('connection_not_found');
    expect((await world.api('POST', '/api/connections/nope/ping')).status).toBe(404);
    expect((await world.api('GET', '/oauth/gusto/callback?error=access_denied', undefined, {})).body.error).toBe(
      'gusto_authorization_denied',
    );
  });

  it('documents the connection endpoints in the OpenAPI page', async () => {
    const doc = await world.api('GET', '/docs-json', undefined, {});
    expect(doc.status).toBe(200);
    for (const path of [
      '/api/connections',
      '/api/connections/{id}',
      '/api/connections/{id}/gusto/authorize',
      '/api/connections/{id}/ping',
      '/api/connections/{id}/mapping',
      '/oauth/gusto/callback',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(Object.keys(doc.body.components.schemas)).toEqual(
      expect.arrayContaining(['CreateConnectionDto', 'AcumaticaSettingsDto', 'AcumaticaAuthDto']),
    );
  });
});
