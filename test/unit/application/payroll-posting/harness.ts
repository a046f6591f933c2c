import { systemClock, type Clock } from '../../../../src/application/ports/clock.port';
import type { AcumaticaApi } from '../../../../src/application/ports/acumatica.port';
import { PostingSaga } from '../../../../src/application/payroll-posting/posting-saga';
import type { RetrySettings } from '../../../../src/application/payroll-posting/retry-policy';
import {
  RequestPostingHandler,
  RequestReversalHandler,
  ReplayPostingHandler,
} from '../../../../src/application/payroll-posting/command-handlers';
import { loadPosting } from '../../../../src/application/payroll-posting/posting-stream';
import { postingStream } from '../../../../src/domain/payroll-posting/events';
import {
  FakeAcumatica,
  FakeConnections,
  FakeGusto,
  MemoryEventStore,
  postingConnections,
  samplePayroll,
} from './fakes';

export const CONNECTION = 'conn-1';

export function harness(
  options: {
    clock?: Clock;
    maxAttempts?: number;
    store?: MemoryEventStore;
    acumatica?: FakeAcumatica;
    gusto?: FakeGusto;
    connections?: FakeConnections;
    retry?: Partial<RetrySettings>;
  } = {},
) {
  const store = options.store ?? new MemoryEventStore();
  const gusto = options.gusto ?? new FakeGusto();
  const acumatica = options.acumatica ?? new FakeAcumatica();
  const connections = options.connections ?? postingConnections();
  const payroll = samplePayroll();
  gusto.payrolls.set(payroll.uuid, payroll);
  const saga = new PostingSaga(
    store,
    gusto,
    acumatica as unknown as AcumaticaApi,
    connections,
    options.clock ?? systemClock,
    {
      baseMs: 1,
      capMs: 5,
      maxAttempts: options.maxAttempts ?? 5,
      queueLimitMs: 30,
      sendWindowMs: 10,
      ...options.retry,
    },
  );
  const stream = postingStream(CONNECTION, payroll.uuid);
  return {
    store,
    gusto,
    acumatica,
    connections,
    saga,
    payroll,
    stream,
    request: new RequestPostingHandler(saga),
    reversal: new RequestReversalHandler(saga, gusto),
    replay: new ReplayPostingHandler(saga, connections),
    state: async () => (await loadPosting(store, stream)).state,
  };
}

/** Retries until the assertion holds (retries are real timers of a few ms in these tests). */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
