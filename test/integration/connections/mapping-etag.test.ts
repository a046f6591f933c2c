/**
 * Two operators editing one mapping must not silently overwrite each other: the connection's revision is its
 * ETag, and PUT …/mapping with a stale If-Match answers 412 naming the current revision.
 */
import { specMapping } from '../../e2e/postings/support';
import { createConnection, startWorld, type World } from './harness';

describe('ETag / If-Match on the connection and its mapping', () => {
  let world: World;
  let id: string;
  beforeAll(async () => {
    world = await startWorld();
    id = await createConnection(world);
  });
  afterAll(async () => world?.close());

  const etag = async (): Promise<string> => (await world.api('GET', `/api/connections/${id}`)).headers.get('etag')!;

  it('GET answers the revision as a strong ETag; PUT without If-Match behaves as before and answers the new ETag', async () => {
    const before = await etag();
    expect(before).toMatch(/^"\d+"$/);
    const put = await world.api('PUT', `/api/connections/${id}/mapping`, specMapping());
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).not.toBe(before);
    expect(put.headers.get('etag')).toBe(await etag());
  });

  it('two concurrent PUTs with the same If-Match: one 200, one 412 naming the current revision', async () => {
    const seen = await etag();
    const headers = { ...world.service.auth, 'If-Match': seen };
    const [a, b] = await Promise.all([
      world.api('PUT', `/api/connections/${id}/mapping`, specMapping(), headers),
      world.api(
        'PUT',
        `/api/connections/${id}/mapping`,
        { ...specMapping(), journal: { ...specMapping().journal, detail: 'department' } },
        headers,
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const lost = a.status === 412 ? a : b;
    const won = a.status === 200 ? a : b;
    expect(lost.body.error).toBe('revision_mismatch');
    expect(lost.body.message).toContain(won.headers.get('etag')!.replace(/"/g, ''));
    expect(lost.headers.get('etag')).toBe(won.headers.get('etag'));
    // The loser re-reads, sees the winner's change, and retries with the fresh ETag.
    const retry = await world.api('PUT', `/api/connections/${id}/mapping`, specMapping(), {
      ...world.service.auth,
      'If-Match': await etag(),
    });
    expect(retry.status).toBe(200);
  });

  it('a stale If-Match is refused with 412 and changes nothing; a malformed one is a 400', async () => {
    const current = await etag();
    const stale = await world.api('PUT', `/api/connections/${id}/mapping`, specMapping(), {
      ...world.service.auth,
      'If-Match': '"0"',
    });
    expect(stale.status).toBe(412);
    expect(await etag()).toBe(current);
    const bad = await world.api('PUT', `/api/connections/${id}/mapping`, specMapping(), {
      ...world.service.auth,
      'If-Match': 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_if_match');
  });
});
