/**
 * The saga under Acumatica's licence queue (issue #12), with the in-memory store and a scripted Acumatica:
 * a create whose outcome is unknown is never repeated before its claim's mayCommitUntil; a refused one is
 * repeated at once; recovery looks up at once; a create's answer that loses its append race still counts.
 * Queue limit 300 ms, send window 20 ms, retries of 1–5 ms (real timers).
 */
import { AcumaticaApiError } from '../../../../src/application/ports/acumatica.port';
import { RequestPostingCommand } from '../../../../src/application/payroll-posting/commands';
import { statusOf } from '../../../../src/domain/payroll-posting/state';
import { unavailable, rateLimited } from './fakes';
import { CONNECTION, eventually, harness } from './harness';

const QUEUE = { queueLimitMs: 300, sendWindowMs: 20 };
const request = (uuid: string) => new RequestPostingCommand(CONNECTION, uuid, 'webhook', 'evt-1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function claimsOf(h: ReturnType<typeof harness>) {
  return (await h.store.readStream(h.stream))
    .filter((e) => e.type === 'JournalCreationStarted')
    .map((e) => e.data as { sentAt: string; sendBy: string; mayCommitUntil: string });
}

describe('posting saga: a create Acumatica may still be holding', () => {
  it("happy path unchanged: 1 lookup + 1 create, sent with the claim's sendBy", async () => {
    const h = harness({ retry: QUEUE });
    await h.request.execute(request(h.payroll.uuid));
    await h.saga.idle();
    expect(h.acumatica.calls).toEqual({ find: 1, create: 1, release: 0 });
    const [claim] = await claimsOf(h);
    expect(h.acumatica.sendBys).toEqual([new Date(claim!.sendBy)]);
    expect(Date.parse(claim!.mayCommitUntil) - Date.parse(claim!.sendBy)).toBe(300);
    expect(Date.parse(claim!.sendBy) - Date.parse(claim!.sentAt)).toBe(20);
  });

  it('an ambiguous failure (answer lost, nothing committed): looks up, and creates again only after mayCommitUntil', async () => {
    const h = harness({ retry: QUEUE });
    h.acumatica.script.create.push({ error: unavailable() });
    const createdAt: number[] = [];
    h.acumatica.beforeCreate = async () => void createdAt.push(Date.now());
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'), 5000);
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.acumatica.calls.create).toBe(2);
    const [first] = await claimsOf(h);
    expect(createdAt[1]!).toBeGreaterThanOrEqual(Date.parse(first!.mayCommitUntil));
    const types = h.store.types(h.stream);
    expect(types.slice(3)).toEqual(expect.arrayContaining(['AttemptFailed', 'QueuedCreateAwaited']));
    expect(types.filter((t) => t === 'JournalCreationStarted')).toHaveLength(2);
    const failed = (await h.store.readStream(h.stream)).find((e) => e.type === 'AttemptFailed')!;
    expect(failed.data).toMatchObject({ step: 'create_journal', createOutcome: 'unknown' });
  });

  it('the queued create lands while the saga waits: found by a later lookup, never created twice', async () => {
    const h = harness({ retry: QUEUE });
    // The create is accepted into the queue, its answer lost; Acumatica carries it out 100 ms later.
    h.acumatica.script.create.push({ error: unavailable() });
    const journals = h.acumatica.journals;
    h.acumatica.beforeCreate = async () => {
      const journal = (await h.state()).journal!;
      setTimeout(() => journals.push({ batchNbr: '000042', journal, status: 'Balanced' }), 100);
    };
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'), 5000);
    expect(h.acumatica.calls.create).toBe(1);
    expect(journals).toHaveLength(1);
    expect((await h.state()).batchNbr).toBe('000042');
    expect(h.store.types(h.stream)).toContain('ExistingJournalFound');
  });

  it('a refusal (429 = declined, not queued) frees the posting to create again at once', async () => {
    const h = harness({ retry: { ...QUEUE, queueLimitMs: 3000 } });
    h.acumatica.script.create.push({ error: rateLimited() });
    const started = Date.now();
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'), 5000);
    expect(Date.now() - started).toBeLessThan(2000); // not after the 3 s queue limit
    expect(h.acumatica.calls.create).toBe(2);
    expect(h.store.types(h.stream)).not.toContain('QueuedCreateAwaited');
    const failed = (await h.store.readStream(h.stream)).find((e) => e.type === 'AttemptFailed')!;
    expect(failed.data).toMatchObject({ createOutcome: 'refused' });
  });

  it('a create that could not leave by its sendBy (never sent) is a refusal too', async () => {
    const h = harness({ retry: QUEUE });
    h.acumatica.script.create.push({ error: new AcumaticaApiError('not_sent', 'creating journal: not sent') });
    await h.request.execute(request(h.payroll.uuid));
    await eventually(async () => expect(statusOf(await h.state())).toBe('posted'), 5000);
    expect(h.acumatica.journals).toHaveLength(1);
    expect(h.store.types(h.stream)).not.toContain('QueuedCreateAwaited');
  });

  it('recovery (a claim left by a crashed run) looks the journal up at once, then creates only after mayCommitUntil', async () => {
    const a = harness({ retry: { ...QUEUE, queueLimitMs: 1500 } });
    // "SIGKILL" mid-create: the run never reports back (its create never returns); the store keeps the claim.
    a.acumatica.beforeCreate = () => new Promise<void>(() => undefined);
    await a.request.execute(request(a.payroll.uuid));
    await eventually(() => expect(a.acumatica.calls.create).toBe(1));
    a.saga.onApplicationShutdown();
    // A new process (its own Acumatica client) resumes the posting.
    const b = harness({
      store: a.store,
      gusto: a.gusto,
      connections: a.connections,
      retry: { ...QUEUE, queueLimitMs: 1500 },
    });
    const [claim] = await claimsOf(a);
    const resumedAt = Date.now();
    b.saga.kick(b.stream, { recovering: true });
    await eventually(() => expect(b.acumatica.calls.find).toBe(1), 1000);
    expect(Date.now() - resumedAt).toBeLessThan(1000); // at once, not after the claim (1.5 s)
    expect(b.store.types(b.stream)).toContain('QueuedCreateAwaited');
    expect(b.acumatica.calls.create).toBe(0);
    await eventually(async () => expect(statusOf(await b.state())).toBe('posted'), 5000);
    expect(b.acumatica.calls.create).toBe(1);
    const secondClaim = (await claimsOf(b))[1]!;
    expect(Date.parse(secondClaim.sentAt)).toBeGreaterThanOrEqual(Date.parse(claim!.mayCommitUntil));
  });

  it("a create's answer that loses its append race to another run's lookup is still recorded as created", async () => {
    const a = harness({ retry: { ...QUEUE, queueLimitMs: 5000 } });
    const b = harness({
      store: a.store,
      acumatica: a.acumatica,
      gusto: a.gusto,
      connections: a.connections,
      retry: { ...QUEUE, queueLimitMs: 5000 },
    });
    let release!: () => void;
    a.acumatica.beforeCreate = () => new Promise<void>((r) => (release = r));
    await a.request.execute(request(a.payroll.uuid));
    await eventually(() => expect(a.acumatica.calls.create).toBe(1));
    // Another instance resumes the posting meanwhile: it looks, finds nothing (still queued), records the miss.
    b.saga.kick(b.stream, { recovering: true });
    await eventually(() => expect(a.store.types(a.stream)).toContain('QueuedCreateAwaited'));
    release();
    await eventually(async () => expect(statusOf(await a.state())).toBe('posted'), 3000);
    expect(a.acumatica.journals).toHaveLength(1);
    expect(a.acumatica.calls.create).toBe(1);
    expect(a.store.types(a.stream).slice(-2)).toEqual(['JournalCreated', 'PayrollPosted']);
    await sleep(10);
  });
});
