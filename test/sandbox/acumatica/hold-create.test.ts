/**
 * holdNextCreate: the licence queue keeps a journal create for a while, then carries it out — whether the
 * client still waits for the answer or its connection is gone.
 */
import type { AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { call, entity, q, sampleJournal, started } from './support';

let sb: AcumaticaSandbox;
let tok: string;
beforeEach(async () => {
  ({ sb, tok } = await started());
});
afterEach(() => sb.close());

const putJournal = (tag: string) =>
  call(sb, 'PUT', entity('/JournalTransaction'), { token: tok, body: sampleJournal(tag) });
const until = async (what: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('holdNextCreate (licence queue)', () => {
  it('keeps the request open for the hold, then commits and answers; a lookup meanwhile finds nothing', async () => {
    sb.knobs.holdNextCreate(400);
    const started = Date.now();
    const pending = putJournal('gusto:held-open');
    await until(() => sb.knobs.heldCreates() === 1);
    const lookup = await call(
      sb,
      'GET',
      `${entity('/JournalTransaction')}?${q("substringof('gusto:held-open',Description)")}`,
      { token: tok },
    );
    expect(lookup.status).toBe(200);
    expect(lookup.json).toEqual([]);
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(sb.records.journalsTagged('gusto:held-open')).toHaveLength(1);
    expect(sb.knobs.heldCreates()).toBe(0);
    expect(sb.requests.find((r) => r.method === 'PUT')).toMatchObject({ status: 200, heldMs: 400 });
  });

  it('dropConnection: the client loses the connection at once, the create still commits after the hold', async () => {
    sb.knobs.holdNextCreate(300, { dropConnection: true });
    await expect(putJournal('gusto:held-dropped')).rejects.toThrow();
    expect(sb.records.journalsTagged('gusto:held-dropped')).toHaveLength(0);
    await until(() => sb.records.journalsTagged('gusto:held-dropped').length === 1);
    expect(sb.requests.find((r) => r.method === 'PUT')).toMatchObject({ status: 0, heldMs: 300, dropped: true });
    expect(sb.requests.find((r) => r.method === 'PUT')!.fault).toBeUndefined();
  });

  it('holds only the next create: later creates and other requests go straight through; clearFaults drops a pending hold', async () => {
    sb.knobs.holdNextCreate(5000);
    sb.knobs.clearFaults();
    expect((await putJournal('gusto:not-held')).status).toBe(200);
    sb.knobs.holdNextCreate(300);
    const first = putJournal('gusto:first');
    await until(() => sb.knobs.heldCreates() === 1);
    expect((await putJournal('gusto:second')).status).toBe(200);
    expect(sb.records.journalsTagged('gusto:first')).toHaveLength(0);
    expect((await first).status).toBe(200);
    expect(sb.records.journals().map((j) => j.Description)).toEqual([
      expect.stringContaining('gusto:not-held'),
      expect.stringContaining('gusto:second'),
      expect.stringContaining('gusto:first'),
    ]);
  });
});
