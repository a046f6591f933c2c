import { ACUMATICA, type AcumaticaApi } from '../../../src/application/ports/acumatica.port';
import { ACUMATICA_CONCURRENCY_PER_TENANT } from '../../../src/modules/connections.module';
import { createConnection, startWorld, type World } from './harness';

describe('Acumatica client: employees and the per-tenant concurrency cap (Acumatica sandbox)', () => {
  let world: World;
  let api: AcumaticaApi;
  let id: string;
  beforeAll(async () => {
    world = await startWorld();
    id = await createConnection(world);
    api = world.service.app.get<AcumaticaApi>(ACUMATICA);
  });
  afterAll(async () => world?.close());

  it('creates an employee, finds it by Gusto uuid and by email, and terminates its history line', async () => {
    const created = await api.putEmployee(id, {
      refNbr: 'gusto-emp-1',
      firstName: 'Ada',
      lastName: "O'Hara",
      email: 'ada@example.com',
      departmentId: 'ENG',
      employeeClass: 'EMPSTAND',
      employmentHistory: [{ startDate: '2026-01-05', active: true, startReason: 'New Hire' }],
    });
    expect(created.employeeId).toBeTruthy();
    expect(created).toMatchObject({
      refNbr: 'gusto-emp-1',
      firstName: 'Ada',
      lastName: "O'Hara",
      departmentId: 'ENG',
      status: 'Active',
    });
    expect(await api.findEmployeeByRefNbr(id, 'gusto-emp-1')).toMatchObject({ employeeId: created.employeeId });
    expect(await api.findEmployeeByEmail(id, 'ada@example.com')).toMatchObject({ employeeId: created.employeeId });
    expect(await api.findEmployeeByRefNbr(id, "nobody's")).toBeNull();

    const line = created.employmentHistory![0];
    const terminated = await api.putEmployee(id, {
      employeeId: created.employeeId,
      status: 'Inactive',
      employmentHistory: [
        { id: line.id, active: false, endDate: '2026-11-20', terminated: true, terminationReason: 'Resignation' },
      ],
    });
    expect(terminated.status).toBe('Inactive');
    expect(terminated.employmentHistory![0]).toMatchObject({ active: false, terminated: true, endDate: '2026-11-20' });
  });

  it(`never has more than ${ACUMATICA_CONCURRENCY_PER_TENANT} requests in flight per tenant`, async () => {
    await api.listAccounts(id);
    world.acumatica.knobs.latencyMs = 120;
    const before = world.acumatica.requests.length;
    await Promise.all(Array.from({ length: 6 }, () => api.listSubaccounts(id)));
    world.acumatica.knobs.latencyMs = 0;
    const arrivals = world.acumatica.requests
      .slice(before)
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(6);
    // With a cap of 2 and 120 ms per answer, requests arrive in pairs about 120 ms apart.
    for (let i = ACUMATICA_CONCURRENCY_PER_TENANT; i < arrivals.length; i++) {
      expect(arrivals[i] - arrivals[i - ACUMATICA_CONCURRENCY_PER_TENANT]).toBeGreaterThanOrEqual(100);
    }
  });
});
