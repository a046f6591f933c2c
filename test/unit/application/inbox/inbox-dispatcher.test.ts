import { CheckpointStore } from '../../../../src/application/inbox/checkpoint-store';
import {
  DISPATCHER_CHECKPOINT_STREAM,
  deterministicEventId,
  inboxStream as inboxStreamOf,
} from '../../../../src/application/inbox/inbox-events';
import type { InboxCommand } from '../../../../src/application/inbox/event-routing';
import { InboxDispatcher, type DispatcherOptions } from '../../../../src/application/inbox/inbox-dispatcher';
import { silentLogger } from '../../../../src/application/inbox/inbox-logger';
import { WebhookIntake } from '../../../../src/application/inbox/webhook-intake';
import { WebhookKeyring } from '../../../../src/application/inbox/webhook-keyring';
import { signBody } from '../../../../src/application/inbox/webhook-signature';
import { PrometheusMetrics } from '../../../../src/adapters/metrics/prometheus-metrics';
import type { EventStore } from '../../../../src/application/ports/event-store.port';
import {
  PostReversalPayrollsCommand,
  RequestPostingCommand,
  RequestReversalCommand,
} from '../../../../src/application/payroll-posting/commands';
import { SyncEmployeeCommand } from '../../../../src/application/employee-mirror/commands';
import { FakeConnections, fixedClock, RecordingCommandBus, fakeVault, tempStore, waitFor } from './fakes';

const TOKEN = 'dispatcher-test-token';
const FAST: DispatcherOptions = {
  concurrency: 4,
  commandTimeoutMs: 200,
  retryDelaysMs: [10, 10],
  checkpointEveryMs: 20,
  resubscribeAfterMs: 20,
  stopGraceMs: 2000,
};

/**
 * Gusto's ids are UUIDs (the intake refuses anything else): the tests speak in readable names ('e1',
 * 'payroll-a', 'company-1') and each name stands for a fixed UUID, translated back in what the bus saw.
 */
const names = new Map<string, string>();
const id = (name: string): string => {
  const uuid = deterministicEventId('dispatcher-test', name);
  names.set(uuid, name);
  return uuid;
};
const nameOf = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : (names.get(value) ?? value);
const inboxStream = (name: string): string => inboxStreamOf(id(name));

/** Records commands with their ids as the tests name them. */
class NamingBus extends RecordingCommandBus {
  override async execute(command: InboxCommand): Promise<unknown> {
    const named = Object.assign(Object.create(Object.getPrototypeOf(command) as object) as InboxCommand, command);
    const fields = named as unknown as Record<string, string | undefined>;
    for (const field of ['payrollUuid', 'employeeUuid', 'sourceEventId', 'correlationId'])
      if (field in fields) fields[field] = nameOf(fields[field]);
    return super.execute(named);
  }
}

function harness(store: EventStore, bus: RecordingCommandBus = new NamingBus(), connections = new FakeConnections()) {
  const clock = fixedClock();
  const metrics = new PrometheusMetrics();
  const intake = new WebhookIntake(
    store,
    new WebhookKeyring(store, fakeVault, clock, silentLogger, TOKEN),
    metrics,
    clock,
    silentLogger,
  );
  const checkpoint = new CheckpointStore(store, DISPATCHER_CHECKPOINT_STREAM, clock);
  const dispatcher = new InboxDispatcher(store, connections, bus, checkpoint, metrics, clock, silentLogger, FAST);
  const deliver = async (uuid: string, eventType: string, entityUuid = 'payroll-1', company = 'company-1') => {
    const raw = Buffer.from(
      JSON.stringify({
        uuid: id(uuid),
        event_type: eventType,
        resource_type: 'Company',
        resource_uuid: id(company),
        entity_uuid: id(entityUuid),
        timestamp: 1769017503,
      }),
    );
    return intake.receive(raw, signBody(raw, TOKEN));
  };
  const connect = (connectionId: string, company: string): void => void connections.connect(connectionId, id(company));
  const outcomeOf = async (uuid: string) => (await store.readStream(inboxStream(uuid))).slice(1).map((e) => e.type);
  return { bus, connections, connect, metrics, intake, dispatcher, deliver, outcomeOf, checkpoint };
}

describe('InboxDispatcher', () => {
  let fixture: ReturnType<typeof tempStore>;
  beforeEach(() => {
    fixture = tempStore();
  });
  afterEach(async () => fixture.cleanup());

  it("routes each acted-on event type to its command, for the company's connection", async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    await h.dispatcher.start();
    await h.deliver('e1', 'payroll.processed', 'payroll-a');
    await h.deliver('e2', 'payroll.cancelled', 'payroll-b');
    await h.deliver('e3', 'payroll.reversed', 'payroll-c');
    await h.deliver('e4', 'payroll.partially_reversed', 'payroll-d');
    const employeeEvents = [
      'employee.created',
      'employee.updated',
      'employee.terminated',
      'employee.rehired',
      'employee.termination_effective',
      'employee.termination_cancelled',
      'employee.rehire_effective',
    ];
    for (const [i, type] of employeeEvents.entries()) await h.deliver(`emp-${i}`, type, `employee-${i}`);
    await waitFor(() => h.bus.executed.length === 4 + employeeEvents.length);
    await h.dispatcher.stop();

    expect(h.bus.executed.slice(0, 4)).toEqual([
      new RequestPostingCommand('conn-1', 'payroll-a', 'webhook', 'e1', 'e1'),
      new RequestReversalCommand('conn-1', 'payroll-b', 'webhook', 'e2', 'e2'),
      new PostReversalPayrollsCommand('conn-1', 'payroll-c', 'e3', 'e3'),
      new PostReversalPayrollsCommand('conn-1', 'payroll-d', 'e4', 'e4'),
    ]);
    expect(h.bus.executed.slice(4)).toEqual(
      employeeEvents.map(
        (type, i) => new SyncEmployeeCommand('conn-1', `employee-${i}`, 'webhook', type, `emp-${i}`, `emp-${i}`),
      ),
    );
    expect(await h.outcomeOf('e1')).toEqual(['InboxEventDispatched']);
    expect((await fixture.store.readStream(inboxStream('e1')))[1].data).toMatchObject({
      connectionId: 'conn-1',
      command: 'RequestPostingCommand',
    });
  });

  it('records and acknowledges event types it does not act on, without a command', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    await h.dispatcher.start();
    await h.deliver('x1', 'payroll.calculated');
    await h.deliver('x2', 'company.updated');
    await h.deliver('x3', 'employee.bank_account.created');
    await waitFor(async () => (await h.outcomeOf('x3')).length === 1);
    await h.dispatcher.stop();
    for (const uuid of ['x1', 'x2', 'x3']) expect(await h.outcomeOf(uuid)).toEqual(['InboxEventIgnored']);
    expect(h.bus.executed).toHaveLength(0);
    // Types it does not act on share one label: invented event types cannot grow the metrics.
    expect(await h.metrics.render()).toContain('mlc_inbox_events_total{action="ignored",event_type="other"} 3');
  });

  it('records an event of an unknown company with its reason, and dispatches nothing', async () => {
    const h = harness(fixture.store);
    await h.dispatcher.start();
    await h.deliver('u1', 'payroll.processed', 'payroll-x', 'company-nobody');
    await waitFor(async () => (await h.outcomeOf('u1')).length === 1);
    await h.dispatcher.stop();
    const [, note] = await fixture.store.readStream(inboxStream('u1'));
    expect(note.type).toBe('InboxEventUnroutable');
    expect(note.data).toMatchObject({
      reason: 'unknown_company',
      companyUuid: id('company-nobody'),
      message: expect.stringContaining('poll'),
    });
    expect(h.bus.executed).toHaveLength(0);
  });

  it('dispatches once for 10 concurrent duplicates and a late redelivery', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    await h.dispatcher.start();
    await Promise.all(Array.from({ length: 10 }, () => h.deliver('dup', 'payroll.processed')));
    await waitFor(() => h.bus.executed.length === 1);
    await h.dispatcher.idle();
    expect((await h.deliver('dup', 'payroll.processed')).outcome).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 100));
    await h.dispatcher.stop();
    expect(h.bus.executed).toHaveLength(1);
    expect(await h.outcomeOf('dup')).toEqual(['InboxEventDispatched']);
  });

  it('handles events of one entity in recorded order even when a command is slow', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    const finished: string[] = [];
    h.bus.behaviour = async (command) => {
      const name = command.constructor.name;
      if (name === 'RequestReversalCommand') await new Promise((r) => setTimeout(r, 80));
      finished.push(`${name}:${(command as RequestPostingCommand).payrollUuid}`);
    };
    await h.dispatcher.start();
    // Delivered out of order (cancelled before processed): each is recorded and handled, in recorded order.
    await h.deliver('o1', 'payroll.cancelled', 'payroll-o');
    await h.deliver('o2', 'payroll.processed', 'payroll-o');
    await h.deliver('o3', 'payroll.processed', 'payroll-other');
    await waitFor(() => finished.length === 3);
    await h.dispatcher.stop();
    expect(finished.indexOf('RequestReversalCommand:payroll-o')).toBeLessThan(
      finished.indexOf('RequestPostingCommand:payroll-o'),
    );
    // The other payroll did not wait behind the slow one.
    expect(finished[0]).toBe('RequestPostingCommand:payroll-other');
  });

  it('does not let a command that never finishes hold the subscription', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    h.bus.behaviour = (command) =>
      (command as RequestPostingCommand).payrollUuid === 'stuck' ? new Promise(() => undefined) : Promise.resolve();
    await h.dispatcher.start();
    for (let i = 0; i < 6; i++) await h.deliver(`s${i}`, 'payroll.processed', 'stuck');
    await h.deliver('free', 'payroll.processed', 'free-payroll');
    await waitFor(async () => (await h.outcomeOf('free')).length === 1, 5000);
    await waitFor(async () => (await h.outcomeOf('s0')).length === 1);
    expect((await fixture.store.readStream(inboxStream('s0')))[1].data).toMatchObject({ stillRunning: true });
    await h.dispatcher.stop();
  });

  it('retries a failing dispatch and then records the failure', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    h.bus.behaviour = async () => {
      throw new Error('no handler yet');
    };
    await h.dispatcher.start();
    await h.deliver('f1', 'payroll.processed');
    await waitFor(async () => (await h.outcomeOf('f1')).length === 1);
    await h.dispatcher.stop();
    expect(h.bus.executed).toHaveLength(3);
    expect((await fixture.store.readStream(inboxStream('f1')))[1]).toMatchObject({
      type: 'InboxEventDispatchFailed',
      data: { error: 'no handler yet', attempts: 3 },
    });
  });

  it('keeps its checkpoint across a restart: no re-dispatch storm, no missed event', async () => {
    const first = harness(fixture.store);
    first.connect('conn-1', 'company-1');
    await first.dispatcher.start();
    for (let i = 0; i < 5; i++) await first.deliver(`r${i}`, 'payroll.processed', `payroll-${i}`);
    await waitFor(() => first.bus.executed.length === 5);
    await first.dispatcher.stop();
    // The checkpoint covers every handled event, so a restart starts after them instead of re-reading the inbox.
    const saved = await new CheckpointStore(fixture.store, DISPATCHER_CHECKPOINT_STREAM, fixedClock()).load();
    const [lastHandled] = await fixture.store.readStream(inboxStream('r4'));
    expect(saved).toBeGreaterThanOrEqual(lastHandled.position);

    // While it is down, two more arrive (recorded by another instance's intake).
    await first.deliver('r5', 'payroll.processed', 'payroll-5');
    await first.deliver('r6', 'employee.updated', 'employee-6');
    await fixture.store.close();

    const reopened = fixture.reopen();
    const second = harness(reopened);
    second.connect('conn-1', 'company-1');
    await second.dispatcher.start();
    await waitFor(() => second.bus.executed.length === 2);
    await new Promise((r) => setTimeout(r, 150));
    await second.dispatcher.stop();
    expect(
      second.bus.executed.map(
        (c) =>
          (c as { payrollUuid?: string; employeeUuid?: string }).payrollUuid ??
          (c as { employeeUuid: string }).employeeUuid,
      ),
    ).toEqual(['payroll-5', 'employee-6']);
  });

  it('re-dispatches after a crash between "recorded" and "dispatched", and only what was not settled', async () => {
    const h = harness(fixture.store);
    h.connect('conn-1', 'company-1');
    // Recorded, never dispatched: the process died before the dispatcher ran.
    await h.deliver('c1', 'payroll.processed', 'payroll-c1');
    await h.deliver('c2', 'payroll.processed', 'payroll-c2');
    // c1 was settled by an earlier run whose checkpoint write was lost in the crash.
    const [received] = await fixture.store.readStream(inboxStream('c1'));
    await fixture.store.append(
      inboxStream('c1'),
      [{ type: 'InboxEventDispatched', data: { connectionId: 'conn-1', command: 'RequestPostingCommand', at: 'x' } }],
      received.revision,
    );
    await h.dispatcher.start();
    await waitFor(async () => (await h.outcomeOf('c2')).length === 1);
    await h.dispatcher.stop();
    expect(h.bus.executed).toEqual([new RequestPostingCommand('conn-1', 'payroll-c2', 'webhook', 'c2', 'c2')]);
  });

  it('starts even when the store is unreachable, and catches up once it answers', async () => {
    let failures = 2;
    const flaky: EventStore = Object.create(fixture.store) as EventStore;
    // The checkpoint load is the dispatcher's first read (its last event only).
    flaky.readLastEvent = async (stream) => {
      if (stream === DISPATCHER_CHECKPOINT_STREAM && failures-- > 0) throw new Error('store unreachable');
      return fixture.store.readLastEvent(stream);
    };
    const h = harness(flaky);
    h.connect('conn-1', 'company-1');
    await h.deliver('late-1', 'payroll.processed');
    await h.dispatcher.start(); // returns after the first failed attempt
    await h.dispatcher.whenReady();
    await waitFor(() => h.bus.executed.length === 1);
    await h.dispatcher.stop();
    expect(failures).toBeLessThan(0);
  });
});
