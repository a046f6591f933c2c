/**
 * The persistent postings read model on a real SQLite file: restarts resume from the checkpoint, a settled
 * posting that moves again is re-folded from its own stream, and two projectors (two instances) on one
 * file never count a posting twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../../../src/adapters/outbound/read-models/sqlite-read-model-store';
import { GenerationProjector } from '../../../src/application/payroll-posting/projections/generation-projector';
import { postingStream } from '../../../src/domain/payroll-posting/events';

const CONNECTION = 'c0ffee00-0000-4000-8000-000000000001';
const at = (n: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), actor: 'webhook' });

async function postedPosting(store: SqliteEventStore, payrollUuid: string): Promise<string> {
  const stream = postingStream(CONNECTION, payrollUuid);
  await store.append(
    stream,
    [
      {
        type: 'PostingRequested',
        data: { connectionId: CONNECTION, payrollUuid, trigger: 'webhook' },
        metadata: at(0),
      },
      {
        type: 'PayrollFetched',
        data: { contentHash: 'h', checkDate: '2026-01-02', offCycle: false, totals: {}, employees: 1 },
        metadata: at(1),
      },
      { type: 'JournalCreated', data: { batchNbr: `B-${payrollUuid}`, status: 'Balanced' }, metadata: at(2) },
      { type: 'PayrollPosted', data: { batchNbr: `B-${payrollUuid}`, mappingVersion: 1 }, metadata: at(3) },
    ],
    'no_stream',
  );
  return stream;
}

describe('postings read model on SQLite (GenerationProjector + SqliteReadModelStore)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-projector-'));
    file = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a restart resumes from the checkpoint, and a posting that moves after it settled is re-folded from its stream', async () => {
    const store = new SqliteEventStore(file);
    for (let i = 0; i < 5; i++) await postedPosting(store, `p-${i}`);
    const first = new SqliteReadModelStore(file);
    const a = new GenerationProjector(store, first.current(), () => undefined);
    await a.start();
    expect(a.delivered).toBe(20);
    expect(first.current().counts().posted).toBe(5);
    expect(a.open.size).toBe(0); // settled postings are not kept in memory
    await a.stop();
    first.close();

    const stream = postingStream(CONNECTION, 'p-2');
    await store.append(stream, [{ type: 'ReversalRequested', data: { trigger: 'webhook' }, metadata: at(9) }], 3);
    const second = new SqliteReadModelStore(file);
    const b = new GenerationProjector(store, second.current(), () => undefined);
    await b.start();
    expect(b.delivered).toBe(1); // only what came after the checkpoint
    const view = second.current().get(`${CONNECTION}:p-2`)!;
    expect(view.status).toBe('posted');
    expect(view.reversal).toEqual({ status: 'pending' });
    expect(view.events).toBe(5);
    expect([...b.open.keys()]).toEqual([stream]); // unsettled again: the scheduler sees it
    expect(second.current().counts().posted).toBe(5);
    await b.stop();
    second.close();
    await store.close();
  });

  it('two projectors on one file apply the same log without counting anything twice', async () => {
    const store = new SqliteEventStore(file);
    for (let i = 0; i < 30; i++) await postedPosting(store, `p-${i}`);
    const one = new SqliteReadModelStore(file);
    const two = new SqliteReadModelStore(file);
    const a = new GenerationProjector(store, one.current(), () => undefined);
    const b = new GenerationProjector(store, two.current(), () => undefined);
    await Promise.all([a.start(), b.start()]);
    expect(a.delivered).toBe(120);
    expect(b.delivered).toBe(120);
    expect(one.current().counts()).toEqual({ pending: 0, posted: 30, failed: 0, needs_attention: 0, cancelled: 0 });
    expect((await one.current().digest()).events).toBe(120);
    const page = one.current().auditPage({ connectionId: CONNECTION, limit: 1000 });
    expect(page.items).toHaveLength(120); // each event indexed once
    await Promise.all([a.stop(), b.stop()]);
    one.close();
    two.close();
    await store.close();
  });

  it('the audit index serves a connection by position and leaves other connections out', async () => {
    const store = new SqliteEventStore(file);
    await postedPosting(store, 'p-1');
    await store.append(
      'gusto-webhook-x',
      [{ type: 'GustoWebhookReceived', data: { connectionId: 'other' }, metadata: at(5) }],
      'no_stream',
    );
    await store.append(
      `connection-${CONNECTION}`,
      [{ type: 'MappingAccepted', data: { version: 2 }, metadata: at(6) }],
      'no_stream',
    );
    const models = new SqliteReadModelStore(file);
    const p = new GenerationProjector(store, models.current(), () => undefined);
    await p.start();
    const mine = models.current().auditPage({ connectionId: CONNECTION, limit: 3 });
    expect(mine.items.map((e) => e.type)).toEqual(['PostingRequested', 'PayrollFetched', 'JournalCreated']);
    expect(mine.next).toBe(mine.items[2]!.position);
    const rest = models.current().auditPage({ connectionId: CONNECTION, limit: 3, after: BigInt(mine.next!) });
    expect(rest.items.map((e) => e.type)).toEqual(['PayrollPosted', 'MappingAccepted']);
    expect(rest.next).toBeNull();
    expect(
      models
        .current()
        .auditPage({ connectionId: 'other', limit: 10 })
        .items.map((e) => e.stream),
    ).toEqual(['gusto-webhook-x']);
    expect(models.current().auditPage({ connectionId: 'nobody', limit: 10 })).toEqual({ items: [], next: null });
    // Without the events table (a separate file, as with KurrentDB) the index keeps the events itself.
    const separate = new SqliteReadModelStore(join(dir, 'read-models.db'));
    expect(separate.joinsEvents).toBe(false);
    const q = new GenerationProjector(store, separate.current(), () => undefined);
    await q.start();
    expect(separate.current().auditPage({ connectionId: CONNECTION, limit: 10 }).items).toEqual(
      models.current().auditPage({ connectionId: CONNECTION, limit: 10 }).items,
    );
    await Promise.all([p.stop(), q.stop()]);
    models.close();
    separate.close();
    await store.close();
  });
});
