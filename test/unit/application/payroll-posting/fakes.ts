import { FakeConnections } from '../../../support/fake-connections';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../../../../src/domain/journal/journal';
import type { GustoPayroll } from '../../../../src/domain/payroll/gusto-payroll';
import {
  AcumaticaApiError,
  type AcumaticaApi,
  type AcumaticaJournalRef,
} from '../../../../src/application/ports/acumatica.port';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../../../../src/application/ports/event-store.port';
import {
  assertStreamName,
  identify,
  normalizeExpected,
  planAppend,
  type StoredRef,
  type StreamHead,
} from '../../../../src/adapters/outbound/event-store/append-plan';
import { matchesFilter, normalizeFilter } from '../../../../src/adapters/outbound/event-store/read-filter';

const matches = (event: RecordedEvent, filter: SubscribeOptions['filter']): boolean =>
  matchesFilter(normalizeFilter(filter), event.stream, event.type);
import type { GustoApi } from '../../../../src/application/ports/gusto.port';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../fixtures', path), 'utf8'));
export const samplePayroll = (): GustoPayroll => fixture('gusto/payroll-processed-show.json') as GustoPayroll;
export const sampleMapping = (): Record<string, any> =>
  fixture('journal/spec-example-mapping.json') as Record<string, any>;

/** An in-memory event store with the port's append rule (idempotent ids, expected revision). Unit tests only. */
export class MemoryEventStore implements EventStore {
  async headPosition(): Promise<bigint | undefined> {
    return this.all.length === 0 ? undefined : BigInt(this.all.length);
  }

  readonly description = 'memory';
  all: RecordedEvent[] = [];
  /** Called before an append is checked: lets a test slip in a competing write. */
  beforeAppend?: (stream: string) => Promise<void> | void;

  /**
   * The adapters' own append rule (append-plan.ts), so this fake cannot accept what the real stores refuse;
   * test/contract/memory-event-store.test.ts runs the contract suite against it.
   */
  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertStreamName(stream);
    const normalized = normalizeExpected(expected);
    const identified = identify(events, randomUUID);
    await this.beforeAppend?.(stream);
    const existing = this.all.filter((e) => e.stream === stream);
    const head: StreamHead = existing.length === 0 ? 'no_stream' : existing[existing.length - 1]!.revision;
    const ids = new Set(identified.map((e) => e.id));
    const found = new Map<string, StoredRef>(
      existing.filter((e) => ids.has(e.id)).map((e) => [e.id, { revision: e.revision, position: e.position }]),
    );
    const plan = planAppend(identified, normalized, head, found);
    if (plan.kind === 'conflict') throw new WrongExpectedRevisionError(stream, expected, plan.actual);
    if (plan.kind === 'repeat') return { nextExpectedRevision: plan.nextExpectedRevision, position: plan.position };
    let revision = plan.firstRevision - 1n;
    for (const e of plan.events) {
      revision += 1n;
      this.all.push({
        id: e.id,
        type: e.type,
        data: JSON.parse(JSON.stringify(e.data)) as unknown,
        metadata: e.metadata ?? {},
        stream,
        revision,
        position: BigInt(this.all.length + 1),
        recordedAt: new Date().toISOString(),
      });
    }
    const appended = this.all.slice(-plan.events.length);
    for (const listener of [...this.listeners]) listener(appended);
    return { nextExpectedRevision: revision, position: BigInt(this.all.length) };
  }
  private readonly listeners = new Set<(events: RecordedEvent[]) => void>();
  async readStream(stream: string, fromRevision = 0n): Promise<RecordedEvent[]> {
    return this.all.filter((e) => e.stream === stream && e.revision >= fromRevision);
  }
  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    return this.all.filter((e) => e.stream === stream).at(-1);
  }
  async readLastEvents(stream: string, count: number): Promise<RecordedEvent[]> {
    const all = this.all.filter((e) => e.stream === stream);
    return count === 0 ? [] : all.slice(-count);
  }
  async readAll(from?: bigint, options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.all
      .filter((e) => from === undefined || e.position > from)
      .filter((e) => matches(e, options?.filter))
      .slice(0, options?.maxCount ?? Infinity);
  }
  /** Catch-up from `from`, then live; a throwing handler ends it through onError (as the adapters do). */
  subscribeToAll(
    handler: (event: RecordedEvent) => void | Promise<void>,
    options: SubscribeOptions = {},
  ): Subscription {
    let stopped = false;
    let delivered = options.fromPosition;
    let chain = Promise.resolve();
    const deliver = (events: RecordedEvent[]): void => {
      chain = chain.then(async () => {
        for (const event of events) {
          if (stopped || (delivered !== undefined && event.position <= delivered) || !matches(event, options.filter))
            continue;
          try {
            await handler(event);
          } catch (error) {
            stop();
            options.onError?.(error as Error);
            return;
          }
          delivered = event.position;
        }
      });
    };
    const listener = (events: RecordedEvent[]): void => deliver(events);
    const stop = (): void => {
      stopped = true;
      this.listeners.delete(listener);
    };
    deliver(this.all.slice());
    chain = chain.then(() => {
      if (!stopped) options.onLive?.();
    });
    this.listeners.add(listener);
    return { stop: async () => stop() };
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
  types(stream?: string): string[] {
    return this.all.filter((e) => !stream || e.stream === stream).map((e) => e.type);
  }
}

export class FakeGusto implements GustoApi {
  payrolls = new Map<string, GustoPayroll>();
  calls = 0;
  failures: unknown[] = [];
  async getPayroll(_c: string, uuid: string): Promise<GustoPayroll> {
    this.calls += 1;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const p = this.payrolls.get(uuid);
    if (!p) throw new Error(`no payroll ${uuid}`);
    return structuredClone(p);
  }
  async listProcessedPayrolls() {
    return [...this.payrolls.values()];
  }
  async getEmployee(): Promise<never> {
    throw new Error('unused');
  }
  async listEmployees() {
    return [];
  }
}

type Op = 'find' | 'create' | 'release';
export class FakeAcumatica implements Partial<AcumaticaApi> {
  journals: Array<{ batchNbr: string; journal: Journal; status: string }> = [];
  calls: Record<Op, number> = { find: 0, create: 0, release: 0 };
  /** Scripted failures per operation; `commit: true` makes the create commit before failing (lost response). */
  script: Record<Op, Array<{ error: unknown; commit?: boolean }>> = { find: [], create: [], release: [] };

  private fail(op: Op): { error: unknown; commit?: boolean } | undefined {
    return this.script[op].shift();
  }
  /** Lets a test hold lookups (e.g. until two instances have both looked). */
  beforeFind?: () => Promise<void>;

  async findJournalByTag(_c: string, tag: string): Promise<AcumaticaJournalRef | null> {
    this.calls.find += 1;
    await this.beforeFind?.();
    const f = this.fail('find');
    if (f) throw f.error;
    const j = this.journals.find((x) => x.journal.header.description.includes(tag));
    return j
      ? { batchNbr: j.batchNbr, module: 'GL', status: j.status, description: j.journal.header.description }
      : null;
  }
  /** Lets a test hold a create before it commits (Acumatica's licence queue). */
  beforeCreate?: () => Promise<void>;
  /** The `sendBy` each create was given. */
  sendBys: Array<Date | undefined> = [];

  async createJournal(_c: string, journal: Journal, options: { sendBy?: Date } = {}): Promise<AcumaticaJournalRef> {
    this.calls.create += 1;
    this.sendBys.push(options.sendBy);
    await this.beforeCreate?.();
    const f = this.fail('create');
    if (f && !f.commit) throw f.error;
    const batchNbr = String(this.journals.length + 1).padStart(6, '0');
    this.journals.push({ batchNbr, journal, status: 'Balanced' });
    if (f) throw f.error;
    return { batchNbr, module: 'GL', status: 'Balanced', description: journal.header.description };
  }
  async releaseJournal(_c: string, batchNbr: string): Promise<AcumaticaJournalRef> {
    this.calls.release += 1;
    const f = this.fail('release');
    const j = this.journals.find((x) => x.batchNbr === batchNbr)!;
    if (f && !f.commit) throw f.error;
    j.status = 'Posted';
    if (f) throw f.error;
    return { batchNbr, module: 'GL', status: 'Posted', description: j.journal.header.description };
  }
}

export const rateLimited = (retryAfterMs?: number) =>
  new AcumaticaApiError('rate_limited', 'HTTP 429: API request limit exceeded', 429, retryAfterMs);
export const unavailable = () => new AcumaticaApiError('unavailable', 'socket hang up');
export const closedPeriod = () =>
  new AcumaticaApiError('validation', 'Financial period 012026 is closed in the General Ledger module.', 422);

export { FakeConnections };

/** The posting tests' connection: conn-1, with the spec's example mapping (version 1). */
export function postingConnections(): FakeConnections {
  const connections = new FakeConnections().connect('conn-1', undefined, 'Demo');
  connections.mapping = { document: sampleMapping(), version: 1 };
  return connections;
}
