/**
 * A release runs alone in its session and polls its status; requests for that session wait until it is done.
 * They must wait without holding one of the tenant's request slots, or the release's polls could never get
 * one (both slots taken by waiting lookups = every Acumatica call of the tenant stuck, as a chaos run showed).
 * Real HTTP against the Acumatica sandbox.
 */
import { ACUMATICA, type AcumaticaApi } from '../../../src/application/ports/acumatica.port';
import { createConnection, startWorld, type World } from './harness';
import { tinyJournal } from './fixtures';

const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms).unref())]);

describe('Acumatica client: requests held back by a running release do not take its slots', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('a release with lookups queued behind it in the same session finishes, then the lookups run', async () => {
    // Status polls every 300 ms (RETRY_BASE_MS caps the poll interval), two polls before done.
    world = await startWorld({ service: { env: { RETRY_BASE_MS: '300' } } });
    world.acumatica.knobs.releasePolls = 2;
    const id = await createConnection(world);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    const day = world.clock.now().toISOString().slice(0, 10);
    const created = await api.createJournal(id, tinyJournal('slots-1', [['60000', '5.00', 'debit'], ['10100', '5.00', 'credit']], day));

    const release = api.releaseJournal(id, created.batchNbr);
    const started = () => world.acumatica.requests.some((r) => r.method === 'POST' && r.path.endsWith('/ReleaseJournalTransaction'));
    while (!started()) await new Promise((r) => setTimeout(r, 5));
    // Between the release's start and its first poll: more requests than the tenant has slots (2).
    const lookups = [1, 2, 3].map(() => api.findJournalByTag(id, 'gusto:slots-1'));

    const released = await within(10_000, 'the release', release);
    expect(released.status).toBe('Posted');
    const found = await within(10_000, 'the lookups', Promise.all(lookups));
    expect(found.map((f) => f?.batchNbr)).toEqual([created.batchNbr, created.batchNbr, created.batchNbr]);
    // The lookups went out only after the release's last poll.
    const lastPoll = world.acumatica.requests.map((r, i) => ({ r, i })).filter(({ r }) => r.path.includes('/status/')).at(-1)!.i;
    const lookupsAt = world.acumatica.requests.map((r, i) => ({ r, i })).filter(({ r }) => r.method === 'GET' && r.query.$filter?.includes('slots-1')).map(({ i }) => i);
    expect(lookupsAt.every((i) => i > lastPoll)).toBe(true);
  }, 40_000);
});
