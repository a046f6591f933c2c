import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../../../../src/domain/journal/journal';
import type { GustoPayroll } from '../../../../src/domain/payroll/gusto-payroll';
import { AcumaticaApiError, type AcumaticaApi, type AcumaticaJournalRef } from '../../../../src/application/ports/acumatica.port';
import type { ConnectionMapping, Connections } from '../../../../src/application/ports/connections.port';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type Subscription,
} from '../../../../src/application/ports/event-store.port';
import type { GustoApi } from '../../../../src/application/ports/gusto.port';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../fixtures', path), 'utf8'));
export const samplePayroll = (): GustoPayroll => fixture('gusto/payroll-processed-show.json') as GustoPayroll;
export const sampleMapping = (): Record<string, any> => fixture('journal/spec-example-mapping.json') as Record<string, any>;

/** An in-memory event store with the port's append rule (idempotent ids, expected revision). Unit tests only. */
export class MemoryEventStore implements EventStore {
  async headPosition(): Promise<bigint | undefined> {
    return this.all.length === 0 ? undefined : BigInt(this.all.length);
  }

  readonly description = 'memory';
  all: RecordedEvent[] = [];
  /** Called before an append is checked: lets a test slip in a competing write. */
  beforeAppend?: (stream: string) => Promise<void> | void;

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    await this.beforeAppend?.(stream);
    const existing = this.all.filter((e) => e.stream === stream);
    const ids = events.map((e) => e.id ?? randomUUID());
    const known = existing.filter((e) => ids.includes(e.id));
    if (known.length === ids.length) {
      return { nextExpectedRevision: known[known.length - 1]!.revision, position: known[known.length - 1]!.position };
    }
    const actual = existing.length === 0 ? 'no_stream' : existing[existing.length - 1]!.revision;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      ((typeof expected === 'bigint' || typeof expected === 'number') && actual !== 'no_stream' && BigInt(expected) === actual);
    if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);
    let revision = actual === 'no_stream' ? -1n : actual;
    for (const [i, e] of events.entries()) {
      revision += 1n;
      this.all.push({ id: ids[i]!, type: e.type, data: e.data, metadata: e.metadata ?? {}, stream, revision, position: BigInt(this.all.length + 1), recordedAt: new Date().toISOString() });
    }
    return { nextExpectedRevision: revision, position: BigInt(this.all.length) };
  }
  async readStream(stream: string): Promise<RecordedEvent[]> {
    return this.all.filter((e) => e.stream === stream);
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
      .filter((e) => !options?.filter?.streamPrefixes || options.filter.streamPrefixes.some((p) => e.stream.startsWith(p)))
      .filter((e) => !options?.filter?.eventTypes || options.filter.eventTypes.includes(e.type))
      .slice(0, options?.maxCount ?? Infinity);
  }
  subscribeToAll(): Subscription {
    throw new Error('not used in unit tests');
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
    return j ? { batchNbr: j.batchNbr, module: 'GL', status: j.status, description: j.journal.header.description } : null;
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

export const rateLimited = (retryAfterMs?: number) => new AcumaticaApiError('rate_limited', 'HTTP 429: API request limit exceeded', 429, retryAfterMs);
export const unavailable = () => new AcumaticaApiError('unavailable', 'socket hang up');
export const closedPeriod = () => new AcumaticaApiError('validation', 'Financial period 012026 is closed in the General Ledger module.', 422);

export class FakeConnections implements Connections {
  mapping: ConnectionMapping | null = { document: sampleMapping(), version: 1 };
  async get() {
    return { id: 'conn-1', name: 'Demo', gustoStatus: 'connected' as const };
  }
  async list() {
    return [];
  }
  async findByGustoCompany() {
    return null;
  }
  async getMapping() {
    return this.mapping;
  }
}

