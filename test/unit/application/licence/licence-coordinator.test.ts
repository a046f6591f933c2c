import { createEventStore } from '../../../../src/adapters/outbound/event-store/create-event-store';
import { LicenceCoordinator, licenceStream } from '../../../../src/application/licence/licence-coordinator';
import type { EventStore } from '../../../../src/application/ports/event-store.port';
import { licenceTiming } from '../../../../src/domain/licence/licence-share';

/** Two instances on one (embedded) store, each with its own coordinator, on a clock the test moves. */
describe("licence coordinator: instances share a tenant's licence through the event store", () => {
  const timing = licenceTiming(60_000);
  const tenant = 'https://acme.acumatica.com|Acme';
  const limits = { requestsPerMinute: 60, maxConcurrent: 4 };
  let store: EventStore;
  let clock: number;
  const instance = (id: string) =>
    new LicenceCoordinator(store, timing, { instanceId: id, now: () => clock, timers: false });

  beforeEach(() => {
    store = createEventStore('sqlite::memory:');
    clock = Date.parse('2026-12-01T10:00:00Z');
  });
  afterEach(async () => store.close());

  it('alone: the whole licence at once; a second instance waits a window, the first halves its share at its next heartbeat', async () => {
    const a = instance('a');
    expect(a.shareFor(tenant, limits).notBefore).toBe(Infinity); // not joined yet: no request
    await a.tick(tenant);
    expect(a.shareFor(tenant, limits)).toEqual({
      instances: 1,
      requestsPerWindow: 60,
      maxConcurrent: 4,
      notBefore: clock,
    });

    clock += 1_000;
    const b = instance('b');
    b.shareFor(tenant, limits);
    await b.tick(tenant);
    expect(b.shareFor(tenant, limits)).toEqual({
      instances: 2,
      requestsPerWindow: 30,
      maxConcurrent: 2,
      notBefore: clock + timing.joinWaitMs,
    });

    clock += timing.intervalMs;
    await a.tick(tenant);
    expect(a.shareFor(tenant, limits)).toMatchObject({ instances: 2, requestsPerWindow: 30, maxConcurrent: 2 });

    const stream = await store.readStream(licenceStream(tenant));
    expect(stream.map((e) => [e.type, (e.data as { instanceId: string }).instanceId])).toEqual([
      ['LicenceInstanceHeartbeat', 'a'],
      ['LicenceInstanceHeartbeat', 'b'],
      ['LicenceInstanceHeartbeat', 'a'],
    ]);
    expect(licenceStream(tenant)).toMatch(/^acumatica-licence-[0-9a-f]{16}$/);
  });

  it("a dead instance's share comes back once its heartbeat lapses (window + 2 intervals)", async () => {
    const a = instance('a');
    const b = instance('b');
    a.shareFor(tenant, limits);
    await a.tick(tenant);
    b.shareFor(tenant, limits);
    await b.tick(tenant); // b then dies: no more heartbeats
    const died = clock;
    for (clock = died + timing.intervalMs; clock < died + timing.lapseMs; clock += timing.intervalMs) {
      a.shareFor(tenant, limits);
      await a.tick(tenant);
      expect(a.shareFor(tenant, limits).requestsPerWindow).toBe(30);
    }
    clock = died + timing.lapseMs + 1;
    a.shareFor(tenant, limits);
    await a.tick(tenant);
    expect(a.shareFor(tenant, limits)).toMatchObject({ instances: 1, requestsPerWindow: 60 });
  });

  it('idle for a window: stops its heartbeats; back soon after, it needs no join wait', async () => {
    const a = instance('a');
    const b = instance('b');
    a.shareFor(tenant, limits);
    await a.tick(tenant);
    b.shareFor(tenant, limits);
    await b.tick(tenant);
    clock += timing.joinWaitMs;
    b.shareFor(tenant, limits); // b uses the tenant and heartbeats
    await b.tick(tenant);
    clock += timing.windowMs + 1;
    const before = (await store.readStream(licenceStream(tenant))).length;
    await b.tick(tenant); // idle for a whole window since: no heartbeat
    expect((await store.readStream(licenceStream(tenant))).length).toBe(before);
    // b comes back while a still counts it (b's last heartbeat lapses only after the peers see a new one)
    a.shareFor(tenant, limits);
    await a.tick(tenant);
    expect(a.shareFor(tenant, limits).instances).toBe(2);
    expect(b.shareFor(tenant, limits).notBefore).toBe(Infinity);
    await b.tick(tenant);
    expect(b.shareFor(tenant, limits).notBefore).toBe(clock);
  });

  it('tenants without licence settings are not coordinated: no stream, no wait, the default cap of 2', async () => {
    const a = instance('a');
    expect(a.shareFor(tenant, undefined)).toEqual({ instances: 1, maxConcurrent: 2, notBefore: 0 });
    expect(a.shareFor(tenant, {})).toEqual({ instances: 1, maxConcurrent: 2, notBefore: 0 });
    await a.tick(tenant);
    expect(await store.readStream(licenceStream(tenant))).toEqual([]);
  });

  it('reads only the tail of a long heartbeat stream', async () => {
    const a = instance('a');
    a.shareFor(tenant, limits);
    for (let i = 0; i < 300; i++) {
      clock += timing.intervalMs;
      a.shareFor(tenant, limits);
      await a.tick(tenant);
    }
    const reads: number[] = [];
    const readLast = store.readLastEvents.bind(store);
    store.readLastEvents = async (stream, count) => {
      reads.push(count);
      return readLast(stream, count);
    };
    clock += timing.intervalMs;
    await a.tick(tenant);
    expect(reads).toEqual([64]);
  });
});
