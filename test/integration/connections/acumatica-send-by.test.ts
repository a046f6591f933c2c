/**
 * createJournal's `sendBy` (issue #12): the PUT leaves before that instant or not at all, so a create claim's
 * mayCommitUntil (sendBy + the queue limit) always covers it. Real HTTP against the Acumatica sandbox.
 */
import { ACUMATICA, AcumaticaApiError, type AcumaticaApi } from '../../../src/application/ports/acumatica.port';
import { createConnection, startWorld, type World } from './harness';
import { tinyJournal } from './fixtures';

const today = (world: World) => world.clock.now().toISOString().slice(0, 10);
const creates = (world: World) =>
  world.acumatica.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/JournalTransaction'));

describe('Acumatica client: a create is sent by its sendBy or not at all', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('sends before sendBy; refuses to send after it (not_sent, retryable, nothing reached Acumatica)', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    const ok = await api.createJournal(
      id,
      tinyJournal(
        'sb-1',
        [
          ['60000', '5.00', 'debit'],
          ['10100', '5.00', 'credit'],
        ],
        today(world),
      ),
      { sendBy: new Date(Date.now() + 30_000) },
    );
    expect(ok.batchNbr).toMatch(/^\d{6}$/);
    expect(creates(world)).toHaveLength(1);

    const late = (await api
      .createJournal(
        id,
        tinyJournal(
          'sb-2',
          [
            ['60000', '5.00', 'debit'],
            ['10100', '5.00', 'credit'],
          ],
          today(world),
        ),
        { sendBy: new Date(Date.now() - 1) },
      )
      .catch((e) => e)) as AcumaticaApiError;
    expect(late).toBeInstanceOf(AcumaticaApiError);
    expect(late.kind).toBe('not_sent');
    expect(late.retryable).toBe(true);
    expect(creates(world)).toHaveLength(1);
    expect(world.acumatica.records.journalsTagged('sb-2')).toHaveLength(0);
  });

  it('a re-send after a 429 is held to the same sendBy', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    await api.listAccounts(id); // warm the token
    world.acumatica.knobs.failNext('PUT', '/JournalTransaction', 1, 429, 1); // Retry-After: 1 s, past the 300 ms below
    const error = (await api
      .createJournal(
        id,
        tinyJournal(
          'sb-3',
          [
            ['60000', '5.00', 'debit'],
            ['10100', '5.00', 'credit'],
          ],
          today(world),
        ),
        { sendBy: new Date(Date.now() + 300) },
      )
      .catch((e) => e)) as AcumaticaApiError;
    expect(error.kind).toBe('not_sent');
    expect(creates(world)).toHaveLength(1); // the refused one only
    expect(world.acumatica.records.journalsTagged('sb-3')).toHaveLength(0);
  });
});
