import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { toAuditEvent } from '../../../src/application/payroll-posting/projections/audit-event';
import { acumaticaCalls, postingIdOf, postingWithStatus, postingWorld, type PostingWorld } from './support';

describe('posting e2e: read models, audit and a large payroll', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    // Gusto's default page is 25: reading 25 at a time makes 60 compensations arrive on 3 pages.
    world = await postingWorld({ service: { env: { GUSTO_PAGE_SIZE: '25' } } });
  });
  afterAll(async () => world?.close());

  it('a 60-employee payroll (3 compensation pages) is fully posted', async () => {
    const before = world.gusto.requests.length;
    const callsBefore = acumaticaCalls(world);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 60 });
    const posting = await postingWithStatus(world, payroll.uuid, 'posted', 'needs_attention');
    expect(posting.status).toBe('posted');
    expect(posting.payroll.employees).toBe(60);
    expect(posting.payroll.totals.gross_pay).toBe(payroll.totals.gross_pay);
    const pages = world.gusto.requests.slice(before).filter((r) => r.path.endsWith(`/payrolls/${payroll.uuid}`));
    expect(pages.map((r) => r.query.page)).toEqual(['1', '2', '3']); // every page read, none twice
    expect(pages.every((r) => r.query.per === '25')).toBe(true);
    const calls = acumaticaCalls(world);
    expect(calls.lookups - callsBefore.lookups).toBe(1);
    expect(calls.creates - callsBefore.creates).toBe(1);
  });

  it('rebuilding the projections from the log gives identical read models', async () => {
    const a = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
    await postingWithStatus(world, a.uuid, 'posted');
    const b = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1 });
    await postingWithStatus(world, b.uuid, 'posted');

    const list = async () => (await world.api('GET', `/api/postings?connectionId=${world.connectionId}&limit=2`)).body;
    const firstPage = await list();
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.items[0].payrollUuid).toBe(b.uuid); // newest first
    expect(firstPage.next).not.toBeNull();
    const secondPage = (
      await world.api('GET', `/api/postings?connectionId=${world.connectionId}&limit=2&cursor=${firstPage.next}`)
    ).body;
    expect(secondPage.items.map((p: any) => p.payrollUuid)).not.toContain(b.uuid);
    const detail = (await world.api('GET', `/api/postings/${postingIdOf(world, a.uuid)}`)).body;
    const all = (await world.api('GET', `/api/postings?limit=500`)).body;

    const rebuilt = await world.api('POST', '/api/projections/rebuild');
    expect(rebuilt.status).toBe(200);
    const report = rebuilt.body.readModels.find((m: any) => m.name === 'postings');
    expect(report.rows).toBeGreaterThanOrEqual(3);
    const again = await world.api('POST', '/api/projections/rebuild');
    expect(again.body.readModels.find((m: any) => m.name === 'postings').digest).toBe(report.digest);

    expect(await list()).toEqual(firstPage);
    expect((await world.api('GET', `/api/postings/${postingIdOf(world, a.uuid)}`)).body).toEqual(detail);
    expect((await world.api('GET', `/api/postings?limit=500`)).body).toEqual(all);
  });

  it('the audit endpoint pages every stream by position, filtered by connection, type and time', async () => {
    const page1 = await world.api('GET', `/api/audit/events?connectionId=${world.connectionId}&limit=5`);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(5);
    const page2 = await world.api(
      'GET',
      `/api/audit/events?connectionId=${world.connectionId}&limit=5&after=${page1.body.next}`,
    );
    expect(BigInt(page2.body.items[0].position)).toBeGreaterThan(BigInt(page1.body.items[4].position));
    const posted = await world.api('GET', `/api/audit/events?type=PayrollPosted&connectionId=${world.connectionId}`);
    expect(posted.body.items.length).toBeGreaterThanOrEqual(3);
    expect(posted.body.items.every((e: any) => e.type === 'PayrollPosted')).toBe(true);
    const future = await world.api('GET', `/api/audit/events?from=2999-01-01T00:00:00Z`);
    expect(future.body).toEqual({ items: [], next: null });
    expect((await world.api('GET', '/api/audit/events?after=x')).status).toBe(400);
    expect((await world.api('GET', '/api/audit/events?after=99999999999999999999999999')).status).toBe(400); // was a 500
  });

  it('without a connection, the audit endpoint answers every event of the log from the audit index, filtered by type and time', async () => {
    const store = world.service.app.get<EventStore>(EVENT_STORE);
    const log = (await store.readAll(undefined, { maxCount: 100_000 })).map((e) =>
      JSON.parse(JSON.stringify(toAuditEvent(e))),
    );
    const seen: unknown[] = [];
    let after = '';
    for (;;) {
      const page = await world.api('GET', `/api/audit/events?limit=100${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      if (page.body.next === null) break;
      after = page.body.next;
    }
    // Other work may append after the read above (checkpoints, licence heartbeats): compare the common prefix.
    expect(seen.length).toBeGreaterThanOrEqual(log.length);
    expect(seen.slice(0, log.length)).toEqual(log);
    const posted = await world.api('GET', '/api/audit/events?type=PayrollPosted&limit=1000');
    expect(posted.body.items.map((e: any) => e.position)).toEqual(
      log.filter((e) => e.type === 'PayrollPosted').map((e) => e.position),
    );
    const middle = log[Math.floor(log.length / 2)];
    const at = await world.api(
      'GET',
      `/api/audit/events?from=${encodeURIComponent(middle.time)}&to=${encodeURIComponent(middle.time)}&limit=1000`,
    );
    expect(at.body.items.map((e: any) => e.position)).toEqual(
      log.filter((e) => e.time === middle.time).map((e) => e.position),
    );
  });
});
