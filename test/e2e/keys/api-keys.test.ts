/**
 * API keys with roles and tenants (issue 15), over real HTTP against the sandboxes and the real SQLite store:
 * two customers' connections A and B, each with a posted payroll; keys of every role, for every connection
 * or for A only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorize, createConnection, oauthAcumatica } from '../../integration/connections/harness';
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { apiCall, startService, type TestService } from '../../support/service';
import { postingWithStatus, postingWorld, specMapping, waitFor, type PostingWorld } from '../postings/support';

type Role = 'auditor' | 'operator' | 'admin';
interface Key {
  id: string;
  secret: string;
  auth: { Authorization: string };
}

describe('API keys: roles, tenants, actor, revocation', () => {
  let world: PostingWorld;
  let A: string;
  let B: string;
  let companyB: string;
  let payrollA: string;
  let payrollB: string;
  const keys: Record<string, Key> = {};

  const postingId = (connectionId: string, payrollUuid: string) => encodeURIComponent(`${connectionId}:${payrollUuid}`);
  const as = (key: Key) => (method: string, path: string, body?: unknown) => world.api(method, path, body, key.auth);
  async function newKey(name: string, role: Role, connections: '*' | string[]): Promise<Key> {
    const res = await world.api('POST', '/api/keys', { name, role, connections });
    if (res.status !== 201) throw new Error(`key: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, secret: res.body.secret, auth: { Authorization: `Bearer ${res.body.secret}` } };
  }

  beforeAll(async () => {
    world = await postingWorld();
    A = world.connectionId;
    companyB = world.gusto.scenario.createCompany({ name: 'Beta Payroll Co' } as never).uuid;
    B = await createConnection(world, {}, 'Beta Ltd');
    expect((await authorize(world, B, companyB)).status).toBe(200);
    expect((await world.api('PUT', `/api/connections/${B}/mapping`, specMapping())).status).toBe(200);
    payrollA = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 }).uuid;
    payrollB = world.gusto.scenario.runPayroll(companyB, { employees: 2 }).uuid;
    await postingWithStatus(world, payrollA, 'posted');
    await waitFor('B posted', async () => {
      const res = await world.api('GET', `/api/postings/${postingId(B, payrollB)}`);
      return res.status === 200 && res.body.status === 'posted' ? true : null;
    });
    keys.auditor = await newKey('all auditor', 'auditor', '*');
    keys.operator = await newKey('all operator', 'operator', '*');
    keys.admin = await newKey('all admin', 'admin', '*');
    keys.auditorA = await newKey('A auditor', 'auditor', [A]);
    keys.operatorA = await newKey('A operator', 'operator', [A]);
    keys.adminA = await newKey('A admin', 'admin', [A]);
  });
  afterAll(async () => world?.close());

  it('POST /api/keys answers the secret once, in the documented form; GET /api/keys shows neither secrets nor hashes', async () => {
    expect(keys.auditorA.secret).toMatch(new RegExp(`^mlc_${keys.auditorA.id}_[A-Za-z0-9_-]{43}$`));
    const list = await world.api('GET', '/api/keys');
    expect(list.status).toBe(200);
    expect(list.body.items.find((k: any) => k.id === keys.auditorA.id)).toEqual({
      id: keys.auditorA.id,
      name: 'A auditor',
      role: 'auditor',
      connections: [A],
      status: 'active',
      createdAt: expect.any(String),
      createdBy: 'admin-token',
    });
    const text = JSON.stringify(list.body);
    for (const key of Object.values(keys)) expect(text).not.toContain(key.secret.split('_').slice(2).join('_'));
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toMatch(/secret|sha256|hash/i);
  });

  it('refuses a malformed key request with 400 naming the field', async () => {
    const bad = await world.api('POST', '/api/keys', { name: 'x', role: 'root', connections: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.join(' ')).toMatch(/role/);
    const noConnections = await world.api('POST', '/api/keys', { name: 'x', role: 'auditor', connections: [] });
    expect(noConnections.status).toBe(400);
    expect(noConnections.body.details).toEqual(['connections: must be "*" or a non-empty list of connection ids']);
  });

  it('wrong or unknown keys answer 401', async () => {
    const wrongSecret = `mlc_${keys.auditor.id}_${'A'.repeat(43)}`;
    const unknown = `mlc_0000000000000000_${'A'.repeat(43)}`;
    for (const token of [wrongSecret, unknown, 'mlc_', keys.auditor.secret.slice(0, -1)]) {
      expect((await world.api('GET', '/api/connections', undefined, { Authorization: `Bearer ${token}` })).status).toBe(
        401,
      );
    }
  });

  describe('roles: every /api route, each role (keys for every connection)', () => {
    // [method, path, least role, body?]. No decorator on a route means admin.
    const routes: Array<[string, string, () => string, Role, unknown?]> = [
      ['GET /api/connections', 'GET', () => '/api/connections', 'auditor'],
      ['GET /api/connections/:A', 'GET', () => `/api/connections/${A}`, 'auditor'],
      ['GET /api/postings?connectionId=:A', 'GET', () => `/api/postings?connectionId=${A}`, 'auditor'],
      ['GET /api/postings/:postingA', 'GET', () => `/api/postings/${postingId(A, payrollA)}`, 'auditor'],
      ['GET /api/postings/:postingA/events', 'GET', () => `/api/postings/${postingId(A, payrollA)}/events`, 'auditor'],
      [
        'GET /api/audit/events?connectionId=:A&limit=5',
        'GET',
        () => `/api/audit/events?connectionId=${A}&limit=5`,
        'auditor',
      ],
      ['GET /api/employees?connectionId=:A', 'GET', () => `/api/employees?connectionId=${A}`, 'auditor'],
      [
        'GET /api/connections/:A/tie-out?from=2020-01-01&to=2020-01-31',
        'GET',
        () => `/api/connections/${A}/tie-out?from=2020-01-01&to=2020-01-31`,
        'auditor',
      ],
      ['POST /api/connections/:A/ping', 'POST', () => `/api/connections/${A}/ping`, 'operator'],
      ['PUT /api/connections/:A/mapping', 'PUT', () => `/api/connections/${A}/mapping`, 'operator', specMapping()],
      [
        'POST /api/connections/:A/payrolls/:payrollA/preview',
        'POST',
        () => `/api/connections/${A}/payrolls/${payrollA}/preview`,
        'operator',
      ],
      [
        'POST /api/postings/:postingA/replay',
        'POST',
        () => `/api/postings/${postingId(A, payrollA)}/replay`,
        'operator',
      ],
      [
        'POST /api/postings/:postingA/accruals/2020-01/replay',
        'POST',
        () => `/api/postings/${postingId(A, payrollA)}/accruals/2020-01/replay`,
        'operator',
      ],
      ['POST /api/connections/:A/sync', 'POST', () => `/api/connections/${A}/sync`, 'operator'],
      ['GET /api/connections/:A/gusto/authorize', 'GET', () => `/api/connections/${A}/gusto/authorize`, 'operator'],
      [
        'POST /api/connections/:A/gusto/confirm',
        'POST',
        () => `/api/connections/${A}/gusto/confirm`,
        'operator',
        { companyUuid: '00000000-0000-4000-8000-000000000000' },
      ],
      ['GET /api/connections?limit=1', 'GET', () => '/api/connections?limit=1', 'auditor'],
      ['GET /metrics (with a key)', 'GET', () => '/metrics', 'auditor'],
      ['PUT /api/connections/:A', 'PUT', () => `/api/connections/${A}`, 'admin', { name: 'x' }],
      ['DELETE /api/connections/0000000000000000', 'DELETE', () => '/api/connections/0000000000000000', 'admin'],
      ['POST /api/connections', 'POST', () => '/api/connections', 'admin', { name: 'x' }],
      ['GET /api/keys', 'GET', () => '/api/keys', 'admin'],
      ['POST /api/keys', 'POST', () => '/api/keys', 'admin', { name: 'x', role: 'auditor', connections: [] }],
      ['DELETE /api/keys/0000000000000000', 'DELETE', () => '/api/keys/0000000000000000', 'admin'],
      ['POST /api/projections/rebuild', 'POST', () => '/api/projections/rebuild', 'admin'],
      ['GET /api/webhooks/gusto/handshake', 'GET', () => '/api/webhooks/gusto/handshake', 'admin'],
      ['POST /api/webhooks/gusto/handshake', 'POST', () => '/api/webhooks/gusto/handshake', 'admin'],
    ];
    const rank: Record<Role, number> = { auditor: 0, operator: 1, admin: 2 };
    it.each(routes.map(([label, method, path, needed, body]) => [label, needed, method, path, body] as const))(
      '%s needs %s',
      async (...row) => {
        const [, needed, method, path, body] = row;
        const seen: string[] = [];
        const want: string[] = [];
        for (const role of ['auditor', 'operator', 'admin'] as Role[]) {
          const res = await as(keys[role])(method, path(), body);
          const outcome =
            res.status === 403
              ? `403 needs ${res.body.details?.requiredRole} (${/needs the role (\w+)/.exec(res.body.message)?.[1]})`
              : res.status === 401
                ? '401'
                : 'allowed';
          seen.push(`${role}: ${outcome}`);
          want.push(`${role}: ${rank[role] >= rank[needed] ? 'allowed' : `403 needs ${needed} (${needed})`}`);
        }
        expect(seen).toEqual(want);
      },
    );
  });

  describe('tenants: a key limited to A', () => {
    const bIds = () => [B, companyB, payrollB];
    const expectNothingOfB = (text: string) => {
      for (const id of bIds()) expect(text).not.toContain(id);
    };

    it('gets 404 for every route naming B, on connections, postings and lists, and 400 for a list without connectionId', async () => {
      const auditor = as(keys.auditorA);
      const operator = as(keys.operatorA);
      const calls: Array<[string, Promise<{ status: number; body: any }>]> = [
        ['GET connection B', auditor('GET', `/api/connections/${B}`)],
        ['GET posting B', auditor('GET', `/api/postings/${postingId(B, payrollB)}`)],
        ['GET posting B raw colon', auditor('GET', `/api/postings/${B}:${payrollB}`)],
        ['GET posting B events', auditor('GET', `/api/postings/${postingId(B, payrollB)}/events`)],
        ['GET tie-out B', auditor('GET', `/api/connections/${B}/tie-out?from=2020-01-01&to=2020-01-31`)],
        ['GET postings of B', auditor('GET', `/api/postings?connectionId=${B}`)],
        ['GET postings of A and B', auditor('GET', `/api/postings?connectionId=${A}&connectionId=${B}`)],
        ['GET postings of ""', auditor('GET', '/api/postings?connectionId=')],
        ['GET audit of B', auditor('GET', `/api/audit/events?connectionId=${B}`)],
        ['GET audit of ""', auditor('GET', '/api/audit/events?connectionId=')],
        ['GET employees of B', auditor('GET', `/api/employees?connectionId=${B}`)],
        ['POST ping B', operator('POST', `/api/connections/${B}/ping`)],
        ['PUT mapping B', operator('PUT', `/api/connections/${B}/mapping`, specMapping())],
        ['POST preview B', operator('POST', `/api/connections/${B}/payrolls/${payrollB}/preview`)],
        ['POST replay B', operator('POST', `/api/postings/${postingId(B, payrollB)}/replay`)],
        ['POST accrual replay B', operator('POST', `/api/postings/${postingId(B, payrollB)}/accruals/2020-01/replay`)],
        ['POST sync B', operator('POST', `/api/connections/${B}/sync`)],
        ['GET authorize B', operator('GET', `/api/connections/${B}/gusto/authorize`)],
        ['POST confirm B', operator('POST', `/api/connections/${B}/gusto/confirm`, { companyUuid: companyB })],
        ['PUT connection B (limited admin)', as(keys.adminA)('PUT', `/api/connections/${B}`, { name: 'taken over' })],
        ['DELETE connection B (limited admin)', as(keys.adminA)('DELETE', `/api/connections/${B}`)],
        ['GET postings, no connectionId', auditor('GET', '/api/postings')],
        ['GET audit, no connectionId', auditor('GET', '/api/audit/events')],
        ['GET employees, no connectionId', auditor('GET', '/api/employees')],
        ['POST connections (limited admin)', as(keys.adminA)('POST', '/api/connections', { name: 'x' })],
        ['GET keys (limited admin)', as(keys.adminA)('GET', '/api/keys')],
        [
          'POST keys (limited admin)',
          as(keys.adminA)('POST', '/api/keys', { name: 'escalate', role: 'admin', connections: '*' }),
        ],
      ];
      const answers: string[] = [];
      for (const [name, call] of calls) {
        const res = await call;
        answers.push(`${name}: ${res.status}`);
        expectNothingOfB(JSON.stringify(res.body));
      }
      expect(answers).toEqual([
        'GET connection B: 404',
        'GET posting B: 404',
        'GET posting B raw colon: 404',
        'GET posting B events: 404',
        'GET tie-out B: 404',
        'GET postings of B: 404',
        'GET postings of A and B: 404',
        'GET postings of "": 404',
        'GET audit of B: 404',
        'GET audit of "": 404',
        'GET employees of B: 404',
        'POST ping B: 404',
        'PUT mapping B: 404',
        'POST preview B: 404',
        'POST replay B: 404',
        'POST accrual replay B: 404',
        'POST sync B: 404',
        'GET authorize B: 404',
        'POST confirm B: 404',
        'PUT connection B (limited admin): 404',
        'DELETE connection B (limited admin): 404',
        'GET postings, no connectionId: 400',
        'GET audit, no connectionId: 400',
        'GET employees, no connectionId: 400',
        'POST connections (limited admin): 403',
        'GET keys (limited admin): 403',
        'POST keys (limited admin): 403',
      ]);
      // Nothing was done to B: no replay, no new mapping version.
      const trail = await world.api('GET', `/api/postings/${postingId(B, payrollB)}/events`);
      expect(trail.body.items.map((e: any) => e.type)).not.toContain('PostingReplayed');
    });

    it('sees A, and only A, in every answer: connections, postings, audit, employees', async () => {
      const auditor = as(keys.auditorA);
      const connections = await auditor('GET', '/api/connections');
      expect(connections.status).toBe(200);
      expect(connections.body.items.map((c: any) => c.id)).toEqual([A]);
      const answers = [
        connections,
        await auditor('GET', `/api/connections/${A}`),
        await auditor('GET', `/api/postings?connectionId=${A}`),
        await auditor('GET', `/api/postings/${postingId(A, payrollA)}`),
        await auditor('GET', `/api/postings/${postingId(A, payrollA)}/events`),
        await auditor('GET', `/api/audit/events?connectionId=${A}&limit=1000`),
        await auditor('GET', `/api/employees?connectionId=${A}`),
        await auditor('GET', '/api/connections?limit=1'),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
      expect(answers[7].body).toEqual({ items: [expect.objectContaining({ id: A })], next: null });
      expect(answers[2].body.items.map((p: any) => p.payrollUuid)).toContain(payrollA);
      expect(answers[5].body.items.length).toBeGreaterThan(0);
      for (const answer of answers) expectNothingOfB(JSON.stringify(answer.body));
      // The same lists through the admin token do show B: the grep above can find it.
      expect(JSON.stringify((await world.api('GET', '/api/connections')).body)).toContain(B);
      // /metrics with a key limited to A: A's series only, nothing across customers.
      const metrics = await fetch(`${world.service.url}/metrics`, { headers: keys.auditorA.auth });
      const text = await metrics.text();
      expect(metrics.status).toBe(200);
      expect(text).toContain(`mlc_connection_info{connection_id="${A}"`);
      expectNothingOfB(text);
      expect(text).not.toContain('mlc_postings_total'); // aggregates over every customer are not shown
      expect(await (await fetch(`${world.service.url}/metrics`)).text()).toContain(`connection_id="${B}"`); // v1: public, everything
    });

    it("authorizing A for B's Gusto company is refused without naming B's connection", async () => {
      const start = await as(keys.operatorA)('GET', `/api/connections/${A}/gusto/authorize?companyUuid=${companyB}`);
      expect(start.status).toBe(302);
      const consent = new URL(start.headers.get('location')!);
      consent.searchParams.set('company_uuid', companyB);
      const back = new URL((await fetch(consent, { redirect: 'manual' })).headers.get('location')!);
      const refused = await world.api('GET', `/oauth/gusto/callback?${back.searchParams}`, undefined, {});
      expect([refused.status, refused.body.error]).toEqual([409, 'company_already_connected']);
      expect(JSON.stringify(refused.body)).not.toContain(B);
    });
  });

  it('records the key as the actor of a replay and of a mapping change', async () => {
    const operator = as(keys.operatorA);
    expect((await operator('POST', `/api/postings/${postingId(A, payrollA)}/replay`)).status).toBe(202);
    const replayed = await waitFor('replay recorded', async () => {
      const trail = await operator('GET', `/api/postings/${postingId(A, payrollA)}/events`);
      return (
        trail.body.items
          .filter((e: any) => e.type === 'PostingReplayed')
          .find((e: any) => e.metadata.actor === `key:${keys.operatorA.id}`) ?? null
      );
    });
    expect(replayed.data.requestedBy).toBe(`key:${keys.operatorA.id}`);
    expect(replayed.metadata.actorName).toBe('A operator');

    expect((await operator('PUT', `/api/connections/${A}/mapping`, specMapping())).status).toBe(200);
    const audit = await operator('GET', `/api/audit/events?connectionId=${A}&type=MappingAccepted&limit=1000`);
    const last = audit.body.items[audit.body.items.length - 1];
    expect(last.metadata.actor).toBe(`key:${keys.operatorA.id}`);
    expect(last.metadata.actorName).toBe('A operator');
  });

  it('records the key (id and name) on the events of every other API call: create, authorize, sync, keys', async () => {
    const store = world.service.app.get<EventStore>(EVENT_STORE);
    const admin = as(keys.admin);
    const created = await admin('POST', '/api/connections', {
      name: 'Made by a key',
      acumatica: oauthAcumatica({ baseUrl: world.acumatica.url }),
    });
    expect(created.status).toBe(201);
    const byAdminKey = { actor: `key:${keys.admin.id}`, actorName: 'all admin' };
    expect((await store.readStream(`connection-${created.body.id}`))[0].metadata).toMatchObject(byAdminKey);

    expect(
      (await as(keys.operatorA)('GET', `/api/connections/${A}/gusto/authorize?companyUuid=${world.companyUuid}`))
        .status,
    ).toBe(302);
    const started = (await store.readStream(`connection-${A}`))
      .filter((e) => e.type === 'GustoAuthorizationStarted')
      .pop()!;
    expect(started.metadata).toMatchObject({ actor: `key:${keys.operatorA.id}`, actorName: 'A operator' });

    const key = await admin('POST', '/api/keys', { name: 'made by a key', role: 'auditor', connections: [A] });
    expect((await store.readStream(`api-key-${key.body.id}`))[0].metadata).toMatchObject(byAdminKey);
    expect((await admin('DELETE', `/api/keys/${key.body.id}`)).status).toBe(200);
    expect((await store.readStream(`api-key-${key.body.id}`))[1].metadata).toMatchObject(byAdminKey);

    // A sync by a key: the poll's watermark (one a day) names a key, not 'poll'.
    expect((await as(keys.operatorA)('POST', `/api/connections/${A}/sync`)).status).toBe(200);
    const watermark = (await store.readStream(`poll-watermark-${A}`)).pop()!;
    expect(watermark.metadata.actor).toMatch(/^key:[0-9a-f]{16}$/);
    expect(watermark.metadata.actorName).toEqual(expect.any(String));
    const run = (await store.readStream(`employee-sync-${A}`)).pop()!;
    expect(run.metadata).toMatchObject({ actor: `key:${keys.operatorA.id}`, actorName: 'A operator' });
  });

  it('a revoked key is refused at its next call, also on a second instance sharing the store', async () => {
    const key = await newKey('to revoke', 'auditor', [A]);
    const second: TestService = await startService({
      dataDir: world.service.dataDir,
      keepData: true,
      env: { GUSTO_API_BASE_URL: world.gusto.url },
    });
    try {
      const onSecond = () => apiCall(second.url, 'GET', `/api/connections/${A}`, undefined, key.auth);
      expect((await as(key)('GET', `/api/connections/${A}`)).status).toBe(200);
      expect((await onSecond()).status).toBe(200);
      const revoked = await world.api('DELETE', `/api/keys/${key.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: key.id, status: 'revoked', revokedBy: 'admin-token' });
      expect((await as(key)('GET', `/api/connections/${A}`)).status).toBe(401);
      expect((await onSecond()).status).toBe(401);
      expect((await world.api('DELETE', `/api/keys/${key.id}`)).status).toBe(409);
      expect((await world.api('DELETE', '/api/keys/0000000000000000')).status).toBe(404);
      const listed = (await world.api('GET', '/api/keys')).body.items.find((k: any) => k.id === key.id);
      expect(listed.status).toBe('revoked');
    } finally {
      await second.close();
    }
  });

  it('no key secret is in the SQLite files or the logs; the store holds only the hash', async () => {
    const dir = world.service.dataDir;
    const files = readdirSync(dir).filter((f) => f.includes('.db'));
    expect(files.length).toBeGreaterThan(0);
    const stored = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    const logs = world.service.logs.join('\n');
    const { createHash } = await import('node:crypto');
    for (const key of Object.values(keys)) {
      const random = key.secret.split('_').slice(2).join('_');
      expect(stored.includes(Buffer.from(random))).toBe(false);
      expect(logs).not.toContain(random);
    }
    // The scan looks at the right bytes: the hash of a key is there.
    const hash = createHash('sha256').update(keys.auditorA.secret).digest('hex');
    expect(stored.includes(Buffer.from(hash))).toBe(true);
  });
});
