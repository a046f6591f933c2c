import { ACUMATICA, type AcumaticaApi } from '../../../src/application/ports/acumatica.port';
import { startAcumaticaSandbox, type AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { createConnection, oauthAcumatica, startWorld, type World } from './harness';
import { tinyJournal } from './fixtures';

/**
 * Licence settings on a connection, and the client's pacing over real HTTP against an Acumatica sandbox
 * that refuses (429) every request over its licence. The sandbox clock runs SPEED× the wall clock and the
 * service's licence minute (ACUMATICA_LICENCE_WINDOW_MS) is shortened by the same factor.
 */
const SPEED = 30;
const WINDOW_MS = 60_000 / SPEED;
const R = 20;

describe('Acumatica licence: settings on the connection, pacing within them (sandbox in reject mode)', () => {
  let world: World;
  let acumatica: AcumaticaSandbox;
  beforeAll(async () => {
    const start = Date.now();
    acumatica = await startAcumaticaSandbox({ clock: { now: () => new Date(start + (Date.now() - start) * SPEED) } });
    world = await startWorld({ acumatica, service: { env: { ACUMATICA_LICENCE_WINDOW_MS: String(WINDOW_MS) } } });
  });
  afterAll(async () => {
    await world?.close();
    await acumatica?.close();
  });

  it("POST stores the licence in the connection's event; GET shows it; without one nothing is shown", async () => {
    const id = await createConnection(world, { licence: { requestsPerMinute: 300 } });
    const shown = await world.api('GET', `/api/connections/${id}`);
    expect(shown.body.acumatica.licence).toEqual({ requestsPerMinute: 300, maxConcurrent: 2 });
    const trail = await world.api('GET', `/api/audit/events?connectionId=${id}&type=ConnectionCreated`);
    const created = trail.body.items.find((e: { type: string }) => e.type === 'ConnectionCreated');
    expect(created.data.acumatica.licence).toEqual({ requestsPerMinute: 300 });
    const both = await createConnection(world, { licence: { requestsPerMinute: 60, maxConcurrent: 4 } });
    expect((await world.api('GET', `/api/connections/${both}`)).body.acumatica.licence).toEqual({
      requestsPerMinute: 60,
      maxConcurrent: 4,
    });
    const none = await createConnection(world);
    expect((await world.api('GET', `/api/connections/${none}`)).body.acumatica).not.toHaveProperty('licence');
  });

  it('400 naming each bad licence figure', async () => {
    const bad = await world.api('POST', '/api/connections', {
      name: 'Bad licence',
      acumatica: oauthAcumatica({
        baseUrl: acumatica.url,
        licence: { requestsPerMinute: 0, maxConcurrent: 1.5, burst: 3 },
      }),
    });
    expect(bad.status).toBe(400);
    const details: string[] = bad.body.details;
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^acumatica\.licence\.requestsPerMinute: /),
        'acumatica.licence.maxConcurrent: maxConcurrent must be a whole number',
        expect.stringMatching(/^acumatica\.licence\.burst: /),
      ]),
    );
    const text = await world.api('POST', '/api/connections', {
      name: 'x',
      acumatica: oauthAcumatica({ baseUrl: acumatica.url, licence: { requestsPerMinute: 'lots' } }),
    });
    expect(text.body.details).toContain(
      'acumatica.licence.requestsPerMinute: requestsPerMinute must be a whole number',
    );
    const notObject = await world.api('POST', '/api/connections', {
      name: 'x',
      acumatica: oauthAcumatica({ baseUrl: acumatica.url, licence: 5 }),
    });
    expect(notObject.status).toBe(400);
  });

  it(`${3 * R} requests at once against a refusing licence of ${R}/min: none answered 429, no minute over ${R}`, async () => {
    const id = await createConnection(world, { licence: { requestsPerMinute: R, maxConcurrent: 2 } }, 'Paced Co');
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    acumatica.knobs.licence.requestsPerMinute = R;
    acumatica.knobs.licence.mode = 'reject';
    const before = acumatica.requests.length;
    try {
      const results = await Promise.all(Array.from({ length: 3 * R }, () => api.listSubaccounts(id)));
      expect(results.every((r) => r.length > 0)).toBe(true);
    } finally {
      acumatica.knobs.licence.requestsPerMinute = undefined;
      acumatica.knobs.licence.mode = 'queue';
    }
    const calls = acumatica.requests.slice(before).filter((r) => r.path.startsWith('/entity/Default/'));
    expect(calls.filter((r) => r.status === 429)).toEqual([]);
    expect(calls).toHaveLength(3 * R);
    // Acumatica's own sliding minute (sandbox time): never more than R requests in any 60 s.
    const times = calls.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
    for (let i = R; i < times.length; i++) expect(times[i] - times[i - R]).toBeGreaterThan(60_000);
  });

  it('one licence core: a lookup issued during a release waits for it without holding the core the release polls need', async () => {
    const id = await createConnection(world, { licence: { requestsPerMinute: 1000, maxConcurrent: 1 } }, 'One Core Co');
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    const journal = tinyJournal(
      'one-core',
      [
        ['60000', '1.00', 'debit'],
        ['10100', '1.00', 'credit'],
      ],
      new Date(Date.now()).toISOString().slice(0, 10),
    );
    const created = await api.createJournal(id, journal);
    acumatica.knobs.releasePolls = 3;
    try {
      const settled = await Promise.race([
        Promise.all([api.releaseJournal(id, created.batchNbr), api.findJournalByTag(id, journal.tag)]),
        new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000).unref()),
      ]);
      expect(settled).not.toBe('stuck');
      const [released, found] = settled as [{ status: string }, { batchNbr: string } | null];
      expect(released.status).toBe('Posted');
      expect(found).toMatchObject({ batchNbr: created.batchNbr });
    } finally {
      acumatica.knobs.releasePolls = 1;
    }
  });

  it('paced requests still back off on a 429, never sooner than Retry-After', async () => {
    const id = await createConnection(
      world,
      { licence: { requestsPerMinute: 1000, maxConcurrent: 2 } },
      'Retry-After Co',
    );
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    await api.listAccounts(id); // warm the token
    const before = acumatica.requests.length;
    acumatica.knobs.failNext('GET', /\/Subaccount$/, 1, 429, 1);
    const startedAt = Date.now();
    expect((await api.listSubaccounts(id)).length).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    const calls = acumatica.requests.slice(before).filter((r) => r.path.endsWith('/Subaccount'));
    expect(calls.map((r) => r.status)).toEqual([429, 200]);
    expect(Date.parse(calls[1].time) - Date.parse(calls[0].time)).toBeGreaterThanOrEqual(1000 * SPEED); // sandbox time
  });
});
