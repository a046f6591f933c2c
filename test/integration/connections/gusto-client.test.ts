import axios from 'axios';
import { GUSTO, GustoApiError, type GustoApi } from '../../../src/application/ports/gusto.port';
import { createGustoAxios } from '../../../src/adapters/outbound/gusto/gusto-http';
import { connectedWorld, type World } from './harness';

type Connected = World & { connectionId: string; companyUuid: string };

describe('Gusto client (read-only, paging, departments, 429) against the Gusto sandbox', () => {
  let world: Connected;
  afterEach(async () => world?.close());

  it('reads a 130-employee payroll with every compensation page and each current department, in 4 GETs', async () => {
    world = await connectedWorld();
    const departments = ['Engineering', 'Sales', null];
    for (let i = 0; i < 130; i++)
      world.gusto.scenario.createEmployee(world.companyUuid, { department: departments[i % 3] }, true);
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { webhook: false });
    const gusto = world.service.app.get<GustoApi>(GUSTO);
    await gusto.listEmployees(world.connectionId); // warm: token already valid, nothing else cached
    const before = world.gusto.requests.length;

    const read = await gusto.getPayroll(world.connectionId, payroll.uuid);
    const calls = world.gusto.requests.slice(before);
    // The payroll pages and the employees list (departments) run side by side: each series in page order.
    const described = calls.map(
      (r) => `${r.method} ${r.path.replace(world.companyUuid, 'C').replace(payroll.uuid, 'P')} ${r.query.page}`,
    );
    expect(described.filter((c) => c.includes('/payrolls/'))).toEqual([
      'GET /v1/companies/C/payrolls/P 1',
      'GET /v1/companies/C/payrolls/P 2',
    ]);
    expect(described.filter((c) => c.includes('/employees'))).toEqual([
      'GET /v1/companies/C/employees 1',
      'GET /v1/companies/C/employees 2',
    ]);
    expect(calls).toHaveLength(4);
    expect(calls.every((r) => r.apiVersion === '2026-06-15' && r.query.per === '100')).toBe(true);
    expect(calls.find((r) => r.path.includes('/payrolls/'))!.query.include).toBe(
      'benefits,deductions,taxes,totals,payroll_taxes,reversals,payroll_status_meta',
    );
    expect(read.reversal_payroll_uuids).toEqual([]);
    expect(read.uuid).toBe(payroll.uuid);
    expect(read.employee_compensations).toHaveLength(130);
    expect(new Set(read.employee_compensations.map((c) => c.employee_uuid)).size).toBe(130);
    const byDept = (d: string | null) => read.employee_compensations.filter((c) => c.department === d).length;
    expect([byDept('Engineering'), byDept('Sales'), byDept(null)]).toEqual([44, 43, 43]);
    expect(world.gusto.nonGetDataRequests()).toEqual([]);
  });

  it('lists processed regular and off-cycle payrolls with totals, every page', async () => {
    world = await connectedWorld();
    world.gusto.scenario.createEmployee(world.companyUuid, {}, true);
    for (let i = 0; i < 3; i++) world.gusto.scenario.runPayroll(world.companyUuid, { webhook: false });
    world.gusto.scenario.runPayroll(world.companyUuid, { webhook: false, offCycle: true, offCycleReason: 'Bonus' });
    const day = (offset: number) =>
      new Date(world.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    // Later regular payrolls have future check dates: ask by check date over a window that holds them.
    const list = await world.service.app
      .get<GustoApi>(GUSTO)
      .listProcessedPayrolls(world.connectionId, { startDate: day(-30), endDate: day(85) });
    expect(list).toHaveLength(4);
    expect(list.filter((p) => p.off_cycle)).toHaveLength(1);
    expect(list.every((p) => p.totals !== undefined)).toBe(true);
    const query = world.gusto.requests.filter((r) => r.path.endsWith('/payrolls')).at(-1)!.query;
    expect(query).toMatchObject({
      processing_statuses: 'processed',
      payroll_types: 'regular,off_cycle',
      include: 'totals',
      date_filter_by: 'check_date',
    });
  });

  it('backs off through a 429 storm (Retry-After and without) and then succeeds', async () => {
    world = await connectedWorld({ gustoRateLimit: { requests: 3, windowMs: 1200 } });
    world.gusto.scenario.createEmployee(world.companyUuid, {}, true);
    const gusto = world.service.app.get<GustoApi>(GUSTO);
    const limitedBefore = world.gusto.stats.rateLimited;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 8 }, () => gusto.listEmployees(world.connectionId)));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(world.gusto.stats.rateLimited - limitedBefore).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for the window instead of hammering

    world.clock.advance(5000);
    world.gusto.knobs.failNext('/employees', 2, 429); // no Retry-After: exponential back-off
    expect(await gusto.listEmployees(world.connectionId)).toHaveLength(1);
    world.gusto.knobs.failNext('/employees', 10, 503);
    await expect(gusto.listEmployees(world.connectionId)).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });

  it('refuses any non-GET on /v1 before sending it', async () => {
    world = await connectedWorld();
    const http = createGustoAxios({ baseUrl: world.gusto.url, apiVersion: '2026-06-15' });
    const before = world.gusto.requests.length;
    await expect(http.post('/v1/companies/x/payrolls', {})).rejects.toBeInstanceOf(GustoApiError);
    await expect(http.put('/v1/employees/x', {})).rejects.toThrow(/only reads from Gusto/);
    await expect(http.delete('/v1/employees/x/terminations')).rejects.toThrow(/refused DELETE/);
    expect(world.gusto.requests.length).toBe(before);
    expect(axios.isAxiosError(await http.get('/v1/token_info').catch((e) => e))).toBe(false);
  });

  it('refuses calls for a connection without Gusto authorization, without a network call', async () => {
    world = await connectedWorld();
    const create = await world.api('POST', '/api/connections', {
      name: 'B',
      acumatica: {
        baseUrl: world.acumatica.url,
        tenant: 'AcmeCorp',
        endpointVersion: '24.200.001',
        auth: { kind: 'cookie', username: 'u', password: 'p' },
      },
    });
    const before = world.gusto.requests.length;
    await expect(world.service.app.get<GustoApi>(GUSTO).listEmployees(create.body.id)).rejects.toMatchObject({
      kind: 'not_connected',
    });
    expect(world.gusto.requests.length).toBe(before);
  });
});
