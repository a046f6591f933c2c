/**
 * PUT and DELETE of a connection, and GET /api/connections paged (issue 15), over real HTTP against the
 * sandboxes and the real SQLite store.
 */
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { authorize, createConnection, oauthAcumatica } from '../../integration/connections/harness';
import { postingWithStatus, postingWorld, waitFor, type PostingWorld } from '../postings/support';

describe('connections: PUT, DELETE, paged list', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());
  const eventsOf = async (id: string) => world.service.app.get<EventStore>(EVENT_STORE).readStream(`connection-${id}`);

  it('PUT replaces the name and Acumatica settings (If-Match honoured, the URL policy applied, new secrets used at once)', async () => {
    const id = await createConnection(world, {}, 'Editable');
    const before = await world.api('GET', `/api/connections/${id}`);
    const etag = before.headers.get('etag')!;
    const settings = (password: string, baseUrl = world.acumatica.url) => ({
      name: 'Edited Ltd',
      acumatica: oauthAcumatica({ baseUrl, branch: 'WEST', auth: { ...oauthAcumatica().auth, password } }),
    });

    const changed = await world.api('PUT', `/api/connections/${id}`, settings('Wrong-Passw0rd!'), {
      ...world.service.auth,
      'If-Match': etag,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id,
      name: 'Edited Ltd',
      acumatica: { baseUrl: world.acumatica.url, branch: 'WEST' },
    });
    expect(JSON.stringify(changed.body)).not.toContain('Wrong-Passw0rd!');
    expect(changed.headers.get('etag')).not.toBe(etag);
    // The stale ETag is refused now, naming the current one.
    const stale = await world.api('PUT', `/api/connections/${id}`, settings('x'), {
      ...world.service.auth,
      'If-Match': etag,
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(changed.headers.get('etag'));
    // The new (wrong) password is what ping uses now.
    const ping = await world.api('POST', `/api/connections/${id}/ping`);
    expect(ping.body.acumatica.ok).toBe(false);
    expect(ping.body.acumatica.error).toMatch(/authentication failed/);
    // An internal address is refused like at creation; invalid bodies name the field.
    const internal = await world.api('PUT', `/api/connections/${id}`, settings('x', 'http://169.254.169.254/'));
    expect(internal.status).toBe(400);
    expect(internal.body.error).toBe('acumatica_url_not_allowed');
    const invalid = await world.api('PUT', `/api/connections/${id}`, { name: '', acumatica: { baseUrl: 'nope' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.join(' ')).toMatch(/name/);
    expect((await world.api('PUT', `/api/connections/${id}`, settings(oauthAcumatica().auth.password))).status).toBe(
      200,
    );
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);

    const changes = (await eventsOf(id)).filter((e) => e.type === 'ConnectionSettingsChanged');
    expect(changes).toHaveLength(2);
    expect(changes[0].metadata).toMatchObject({ actor: 'admin-token', actorName: 'MLC_ADMIN_TOKEN' });
    expect(JSON.stringify(changes.map((e) => e.data))).not.toContain('Wrong-Passw0rd!'); // sealed, like at creation
    expect((await world.api('PUT', '/api/connections/nope', settings('x'))).status).toBe(404);
  });

  it('DELETE: an event; the connection is gone for every use, its postings and audit trail stay readable', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 }) as { uuid: string };
    await postingWithStatus(world, payroll.uuid, 'posted');
    const A = world.connectionId;
    const postingId = encodeURIComponent(`${A}:${payroll.uuid}`);

    const deleted = await world.api('DELETE', `/api/connections/${A}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: A, deletedAt: expect.any(String) });
    const last = (await eventsOf(A)).pop()!;
    expect([last.type, last.metadata.actor]).toEqual(['ConnectionDeleted', 'admin-token']);

    // Gone: 404 everywhere a connection is used, absent from the list, a second delete finds nothing.
    expect((await world.api('GET', `/api/connections/${A}`)).status).toBe(404);
    expect((await world.api('GET', '/api/connections')).body.items.map((c: { id: string }) => c.id)).not.toContain(A);
    expect((await world.api('POST', `/api/connections/${A}/ping`)).status).toBe(404);
    expect((await world.api('DELETE', `/api/connections/${A}`)).status).toBe(404);
    expect((await world.api('GET', `/api/connections/${A}/gusto/authorize`)).status).toBe(404);

    // Its secrets are used for nothing: a new payroll of its company reaches no Acumatica.
    const acumaticaCalls = world.acumatica.requests.length;
    const next = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 }) as { uuid: string };
    await waitFor('the webhook recorded', async () =>
      (await world.api('GET', '/api/audit/events?type=GustoWebhookReceived&limit=1000')).body.items.some((e: any) =>
        JSON.stringify(e.data).includes(next.uuid),
      )
        ? true
        : null,
    );
    const replay = await world.api('POST', `/api/postings/${postingId}/replay`);
    expect([replay.status, replay.body.error]).toEqual([404, 'posting_not_found']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(world.acumatica.requests.length).toBe(acumaticaCalls);

    // Auditors still read what was posted.
    const posting = await world.api('GET', `/api/postings/${postingId}`);
    expect([posting.status, posting.body.status]).toEqual([200, 'posted']);
    expect((await world.api('GET', `/api/postings/${postingId}/events`)).body.items.length).toBeGreaterThan(0);
    const audit = await world.api('GET', `/api/audit/events?connectionId=${A}&limit=1000`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { type: string }) => e.type)).toContain('ConnectionDeleted');

    // The Gusto company is free for another connection.
    const other = await createConnection(world, {}, 'Successor');
    expect((await authorize(world, other, world.companyUuid)).status).toBe(200);
  });

  it('GET /api/connections pages with limit and after; without them the v1 answer (all, next null)', async () => {
    for (const name of ['P1', 'P2', 'P3']) await createConnection(world, {}, name);
    const all = await world.api('GET', '/api/connections');
    expect(all.body.next).toBeNull();
    const ids = all.body.items.map((c: { id: string }) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: any = await world.api('GET', `/api/connections?limit=2${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      after = res.body.next;
      pages++;
    } while (after && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBe(Math.ceil(ids.length / 2));
    for (const bad of ['limit=0', 'limit=501', 'limit=abc', 'after=not-a-cursor', 'limit=99999999999999999999']) {
      const res = await world.api('GET', `/api/connections?${bad}`);
      expect([bad, res.status, res.body.error]).toEqual([bad, 400, 'validation_failed']);
    }
  });
});
