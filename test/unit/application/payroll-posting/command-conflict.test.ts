/**
 * A posting command goes through the one command handler: a lost append race is decided again on what the
 * winner wrote, a bounded number of times, then answered as write_conflict — never an endless loop (the
 * saga's `for (;;)` retried without limit). And every run reads the stream once, not after every append.
 */
import { ReplayPostingCommand, RequestPostingCommand } from '../../../../src/application/payroll-posting/commands';
import { CONNECTION, harness } from './harness';

describe('posting commands through the command handler', () => {
  it('a command that keeps losing its append race gives up with write_conflict after 10 attempts', async () => {
    const h = harness();
    await h.request.execute(new RequestPostingCommand(CONNECTION, h.payroll.uuid, 'webhook', 'evt-1'));
    await h.saga.idle();
    let competitors = 0;
    const compete = async (stream: string): Promise<void> => {
      h.store.beforeAppend = undefined; // the competitor's own append goes through
      await h.store.append(stream, [{ type: 'SomethingElseHappened', data: { n: competitors++ } }], 'any');
      h.store.beforeAppend = compete;
    };
    h.store.beforeAppend = compete;
    const replay = await h.replay.execute(new ReplayPostingCommand(CONNECTION, h.payroll.uuid, 'ops'));
    h.store.beforeAppend = undefined;
    expect(replay).toMatchObject({ ok: false, error: 'write_conflict' });
    expect(competitors).toBe(10);
    expect(h.store.types(h.stream).filter((t) => t === 'PostingReplayed')).toEqual([]);
  });

  it('a run reads the posting stream once: the state after each append is folded from what was written', async () => {
    const h = harness();
    const reads: string[] = [];
    const readStream = h.store.readStream.bind(h.store);
    h.store.readStream = (stream, from) => {
      reads.push(stream);
      return readStream(stream, from);
    };
    await h.request.execute(new RequestPostingCommand(CONNECTION, h.payroll.uuid, 'webhook', 'evt-1'));
    await h.saga.idle();
    expect(h.store.types(h.stream)).toEqual([
      'PostingRequested',
      'PayrollFetched',
      'JournalBuilt',
      'JournalCreationStarted',
      'JournalCreated',
      'PayrollPosted',
    ]);
    // One read for the command, one for the run (three appends, no re-read after any of them).
    expect(reads.filter((s) => s === h.stream)).toHaveLength(2);
  });
});
