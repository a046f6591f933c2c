import {
  RequestPostingCommand,
  RequestReversalCommand,
  ReplayPostingCommand,
} from '../../../../src/application/payroll-posting/commands';
import { statusOf } from '../../../../src/domain/payroll-posting/state';
import { closedPeriod, rateLimited, unavailable } from './fakes';
import { CONNECTION, eventually, harness } from './harness';

const request = (uuid: string, trigger: 'webhook' | 'poll' = 'webhook') =>
  new RequestPostingCommand(CONNECTION, uuid, trigger, 'evt-1');

describe('posting saga', () => {
  it('posts a processed payroll as one journal: 1 Gusto read, 1 lookup + 1 create', async () => {
    const h = harness();
    const result = await h.request.execute(request(h.payroll.uuid));
    expect(result).toMatchObject({ ok: true, changed: true, status: 'pending' });
    await h.saga.idle();
    expect(h.store.types(h.stream)).toEqual([
      'PostingRequested',
      'PayrollFetched',
      'JournalBuilt',
      'JournalCreationStarted',
      'JournalCreated',
      'PayrollPosted',
    ]);
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.acumatica.calls).toEqual({ find: 1, create: 1, release: 0 });
    expect(h.gusto.calls).toBe(1);
    const state = await h.state();
    expect(statusOf(state)).toBe('posted');
    expect(state.batchNbr).toBe('000001');
    expect(h.acumatica.journals[0]!.journal.totals).toEqual({ debit: '10773.81', credit: '10773.81' });
  });

  it("records the build with the post step's first append (one commit): same events, ids and causation chain", async () => {
    const h = harness();
    const batches: string[][] = [];
    const append = h.store.append.bind(h.store);
    h.store.append = (stream, events, expected) => {
      batches.push(events.map((e) => e.type));
      return append(stream, events, expected);
    };
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    expect(batches).toEqual([
      ['PostingRequested'],
      ['PayrollFetched', 'JournalBuilt', 'JournalCreationStarted'],
      ['JournalCreated', 'PayrollPosted'],
    ]);
    const trail = await h.store.readStream(h.stream);
    expect(trail.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    // Each event is caused by the one before its decision, exactly as with one append per step.
    expect(trail[1]!.metadata.causationId).toBe(trail[0]!.id);
    expect(trail[2]!.metadata.causationId).toBe(trail[0]!.id);
    expect(trail[3]!.metadata.causationId).toBe(trail[2]!.id);
    expect(trail[4]!.metadata.causationId).toBe(trail[3]!.id);
    expect(new Set(trail.map((e) => e.metadata.correlationId))).toEqual(new Set(['evt-1']));
  });

  it('a failed lookup after the build records the build and the failure together; the retry does not read Gusto again', async () => {
    const h = harness();
    h.acumatica.script.find.push({ error: unavailable() });
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'));
    expect(h.store.types(h.stream)).toEqual([
      'PostingRequested',
      'PayrollFetched',
      'JournalBuilt',
      'AttemptFailed',
      'JournalCreationStarted',
      'JournalCreated',
      'PayrollPosted',
    ]);
    expect(h.gusto.calls).toBe(1);
    expect(h.acumatica.calls).toEqual({ find: 2, create: 1, release: 0 });
  });

  it('stays exactly once under duplicate and concurrent requests', async () => {
    const h = harness();
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) => h.request.execute(request(h.payroll.uuid, i % 2 ? 'webhook' : 'poll'))),
    );
    await h.saga.idle();
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.store.types(h.stream).filter((t) => t === 'PostingRequested')).toHaveLength(1);
  });

  it('a second instance that loses the append race re-reads and stops instead of creating again', async () => {
    const a = harness();
    const b = harness({ store: a.store, acumatica: a.acumatica, gusto: a.gusto, connections: a.connections });
    await a.request.execute(request(a.payroll.uuid));
    await Promise.all([a.saga.run(a.stream), b.saga.run(b.stream)]);
    await Promise.all([a.saga.idle(), b.saga.idle()]);
    expect(statusOf(await a.state())).toBe('posted');
    expect(a.store.types(a.stream).filter((t) => t === 'PayrollPosted')).toHaveLength(1);
  });

  it('two instances that both find no journal race for the create claim: only one creates', async () => {
    const a = harness();
    const b = harness({ store: a.store, acumatica: a.acumatica, gusto: a.gusto, connections: a.connections });
    let release!: () => void;
    const bothLooked = new Promise<void>((r) => (release = r));
    a.acumatica.beforeFind = async () => {
      if (a.acumatica.calls.find >= 2) release();
      await bothLooked;
    };
    await a.store.append(
      a.stream,
      [
        {
          type: 'PostingRequested',
          data: { connectionId: CONNECTION, payrollUuid: a.payroll.uuid, trigger: 'webhook' },
        },
      ],
      'no_stream',
    );
    const [ra, rb] = await Promise.all([a.saga.run(a.stream), b.saga.run(b.stream)]);
    expect(a.acumatica.calls.find).toBeGreaterThanOrEqual(2);
    expect(a.acumatica.calls.create).toBe(1);
    expect([ra.kind, rb.kind].sort()).toEqual(['idle', 'wait']); // the loser waits out the winner's lease
    await eventually(async () => expect(statusOf(await a.state())).toBe('posted'));
    expect(a.acumatica.journals).toHaveLength(1);
    expect(a.store.types(a.stream).filter((t) => t === 'JournalCreationStarted')).toHaveLength(1);
  });

  it('retries 429s with back-off and creates one journal (attempts counted, AttemptFailed in the log)', async () => {
    const h = harness();
    h.acumatica.script.create.push({ error: rateLimited(2) }, { error: rateLimited() }, { error: rateLimited() });
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'));
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.store.types(h.stream).filter((t) => t === 'AttemptFailed')).toHaveLength(3);
    const state = await h.state();
    expect(state.attempts).toBe(4);
    expect(state.lastError).toBeUndefined();
  });

  it('finds the journal after a create committed but its response was lost: 1 journal, posted', async () => {
    const h = harness();
    h.acumatica.script.create.push({ error: unavailable(), commit: true });
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'));
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.acumatica.calls.create).toBe(1);
    expect(h.store.types(h.stream)).toContain('ExistingJournalFound');
  });

  it('a crash after the create (append never made) resumes from the log and finds the journal', async () => {
    const h = harness();
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    // Simulate: Acumatica has the batch but the log lost the last append.
    h.store.all = h.store.all.filter((e) => e.type !== 'JournalCreated' && e.type !== 'PayrollPosted');
    const fresh = harness({ store: h.store, acumatica: h.acumatica, gusto: h.gusto, connections: h.connections });
    // The dead run's claim holds the new one off until its lease lapses; then it looks the journal up.
    expect(await fresh.saga.run(h.stream)).toMatchObject({ kind: 'wait' });
    await eventually(async () => expect(statusOf(await fresh.state())).toBe('posted'));
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.store.types(h.stream).slice(-2)).toEqual(['ExistingJournalFound', 'PayrollPosted']);
  });

  it('an unmapped component needs attention naming the key; mapping fixed + replay → 1 journal', async () => {
    const h = harness();
    const doc = h.connections.mapping!.document as Record<string, any>;
    const { netPay, ...withoutNetPay } = doc.accounts;
    h.connections.mapping = { document: { ...doc, accounts: withoutNetPay }, version: 1 };
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    let state = await h.state();
    expect(statusOf(state)).toBe('needs_attention');
    expect(state.blocked![0]).toMatchObject({ code: 'unmapped_component' });
    expect(state.blocked![0]!.keys!.join()).toContain('netPay');
    expect(h.acumatica.calls.create).toBe(0);

    h.connections.mapping = { document: { ...doc, accounts: { ...withoutNetPay, netPay } }, version: 2 };
    const replayed = await h.replay.execute(new ReplayPostingCommand(CONNECTION, h.payroll.uuid));
    expect(replayed).toMatchObject({ ok: true });
    await h.saga.idle();
    state = await h.state();
    expect(statusOf(state)).toBe('posted');
    expect(state.mappingVersion).toBe(2);
    expect(h.acumatica.journals).toHaveLength(1);
    // Replaying a posted payroll again finds the journal rather than duplicating it.
    await h.replay.execute(new ReplayPostingCommand(CONNECTION, h.payroll.uuid));
    await h.saga.idle();
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.store.types(h.stream).slice(-3)).toEqual(['PostingReplayed', 'ExistingJournalFound', 'PayrollPosted']);
  });

  it('a closed period needs attention at once, in accountant words', async () => {
    const h = harness();
    h.acumatica.script.create.push({ error: closedPeriod() });
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    const state = await h.state();
    expect(statusOf(state)).toBe('needs_attention');
    expect(state.blocked![0]!.code).toBe('closed_period');
    expect(state.blocked![0]!.message).toMatch(/financial period is closed/);
  });

  it('gives up after max attempts: needs_attention retries_exhausted', async () => {
    const h = harness({ maxAttempts: 2 });
    h.acumatica.script.find.push({ error: unavailable() }, { error: unavailable() });
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('needs_attention'));
    expect((await h.state()).blocked![0]!.code).toBe('retries_exhausted');
  });

  it('releases as its own step when the mapping asks for it (+1 call)', async () => {
    const h = harness();
    const doc = h.connections.mapping!.document as Record<string, any>;
    h.connections.mapping = { document: { ...doc, journal: { ...doc.journal, release: true } }, version: 1 };
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    expect(h.store.types(h.stream).slice(-4)).toEqual([
      'JournalCreationStarted',
      'JournalCreated',
      'JournalReleased',
      'PayrollPosted',
    ]);
    expect(h.acumatica.calls).toEqual({ find: 1, create: 1, release: 1 });
  });

  it('reverses a posted payroll once; cancels one not yet built', async () => {
    const h = harness();
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    const cancel = new RequestReversalCommand(CONNECTION, h.payroll.uuid, 'webhook', 'evt-2');
    h.gusto.payrolls.get(h.payroll.uuid)!.processed = false; // cancelled in Gusto: processed → false, same uuid
    await Promise.all([h.reversal.execute(cancel), h.reversal.execute(cancel)]);
    await h.saga.idle();
    expect(h.acumatica.journals).toHaveLength(2);
    const reversing = h.acumatica.journals[1]!.journal;
    expect(reversing.header.description).toContain(`[gusto-reversal:${h.payroll.uuid}]`);
    expect(reversing.lines[0]!.side).not.toBe(h.acumatica.journals[0]!.journal.lines[0]!.side);
    const state = await h.state();
    expect(state.reversal).toMatchObject({ phase: 'reversed', batchNbr: '000002' });

    // One attempt only: the Gusto failure stops the posting before any journal is built (no retry
    // can race the cancellation).
    const other = harness({ maxAttempts: 1 });
    other.gusto.failures.push(unavailable());
    await other.request.execute(request(other.payroll.uuid));
    await other.saga.idle();
    other.gusto.payrolls.get(other.payroll.uuid)!.processed = false;
    await other.reversal.execute(cancel);
    await other.saga.idle();
    expect(statusOf(await other.state())).toBe('cancelled');
    expect(other.acumatica.journals).toHaveLength(0);
  });

  it('does not reverse when Gusto still shows the payroll processed: the cancellation is recorded as contradicted', async () => {
    const h = harness();
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    const calls = h.gusto.calls;
    const result = await h.reversal.execute(
      new RequestReversalCommand(CONNECTION, h.payroll.uuid, 'webhook', 'evt-forged'),
    );
    await h.saga.idle();
    expect(h.gusto.calls).toBe(calls + 1); // re-read from Gusto before acting
    expect(result).toMatchObject({ ok: true, status: 'posted', changed: true });
    expect(h.store.types(h.stream).slice(-1)).toEqual(['CancellationContradicted']);
    const [contradiction] = (await h.store.readStream(h.stream)).slice(-1);
    expect(contradiction!.data).toMatchObject({ gustoShows: 'processed', sourceEventId: 'evt-forged' });
    expect(h.acumatica.journals).toHaveLength(1);
    expect((await h.state()).reversal).toBeUndefined();
  });
});
