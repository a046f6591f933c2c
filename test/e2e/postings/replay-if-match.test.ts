/**
 * Two operators replaying one posting must not both act on what they saw: the posting stream's revision is the
 * ETag of GET /api/postings/:id, and POST …/replay with a stale If-Match answers 412 naming the current revision.
 * Without If-Match a replay behaves as before.
 */
import {
  journalsOf,
  postingIdOf,
  postingWithStatus,
  postingWorld,
  specMapping,
  waitFor,
  type PostingWorld,
} from './support';

describe('posting e2e: If-Match on POST /api/postings/:id/replay', () => {
  let world: PostingWorld;
  let id: string;
  beforeAll(async () => {
    const mapping = specMapping();
    delete mapping.accounts.netPay; // the posting blocks: nothing moves it until an operator replays it
    world = await postingWorld({ mapping });
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    await postingWithStatus(world, payroll.uuid, 'needs_attention', 'posted');
    id = postingIdOf(world, payroll.uuid);
  });
  afterAll(async () => world?.close());

  const etag = async (): Promise<string> => {
    const res = await world.api('GET', `/api/postings/${id}`);
    expect(res.status).toBe(200);
    return res.headers.get('etag')!;
  };
  const eventCount = async (): Promise<number> =>
    (await world.api('GET', `/api/postings/${id}/events`)).body.items.length;

  it("GET answers the posting stream's revision as a strong ETag", async () => {
    const tag = await etag();
    expect(tag).toMatch(/^"\d+"$/);
    // The revision of the stream's last event: the trail has one event more than that number.
    expect(Number(tag.replace(/"/g, ''))).toBe((await eventCount()) - 1);
  });

  it('a stale If-Match is refused with 412 naming the current revision, and nothing is appended', async () => {
    const current = await etag();
    const before = await eventCount();
    const stale = `"${Number(current.replace(/"/g, '')) - 1}"`;
    const res = await world.api('POST', `/api/postings/${id}/replay`, undefined, {
      ...world.service.auth,
      'If-Match': stale,
    });
    expect(res.status).toBe(412);
    expect(res.body.error).toBe('revision_mismatch');
    expect(res.body.message).toContain(current);
    expect(res.headers.get('etag')).toBe(current);
    expect(await eventCount()).toBe(before);
    const bad = await world.api('POST', `/api/postings/${id}/replay`, undefined, {
      ...world.service.auth,
      'If-Match': 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_if_match');
  });

  it('two concurrent replays with the same If-Match: one 202, one 412; then a replay with the fresh ETag goes through', async () => {
    const seen = await etag();
    const headers = { ...world.service.auth, 'If-Match': seen };
    const [a, b] = await Promise.all([
      world.api('POST', `/api/postings/${id}/replay`, undefined, headers),
      world.api('POST', `/api/postings/${id}/replay`, undefined, headers),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 412]);
    const lost = a.status === 412 ? a : b;
    expect(lost.body.error).toBe('revision_mismatch');
    const trail = await world.api('GET', `/api/postings/${id}/events`);
    expect(trail.body.items.filter((e: any) => e.type === 'PostingReplayed')).toHaveLength(1);

    // The replayed run blocks again (the mapping still lacks netPay); then the fix, and a replay with the fresh ETag.
    await waitFor('blocked again', async () => {
      const types: string[] = (await world.api('GET', `/api/postings/${id}/events`)).body.items.map((e: any) => e.type);
      return types[types.length - 1] === 'PostingBlocked' && types.filter((t) => t === 'PostingBlocked').length === 2
        ? types
        : null;
    });
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, specMapping())).status).toBe(200);
    const fresh = await etag();
    const replay = await world.api('POST', `/api/postings/${id}/replay`, undefined, {
      ...world.service.auth,
      'If-Match': fresh,
    });
    expect(replay.status).toBe(202);
    const posted = await waitFor('posted', async () => {
      const res = await world.api('GET', `/api/postings/${id}`);
      return res.body.status === 'posted' ? res.body : null;
    });
    expect(posted.status).toBe('posted');
    expect(journalsOf(world, decodeURIComponent(id).split(':').pop()!)).toHaveLength(1);
  });
});
