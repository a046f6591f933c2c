import {
  acumaticaEmployee,
  acumaticaEmployeesWith,
  employeePuts,
  employeeWorld,
  isoDaysFromNow,
  mirrorUntil,
  waitFor,
  type EmployeeWorld,
} from './support';

/** Gusto delivers at least once and in no particular order; every sync re-reads Gusto, so the end state is right. */
describe('employee mirror e2e: duplicate and out-of-order webhooks converge', () => {
  let world: EmployeeWorld;
  beforeAll(async () => {
    world = await employeeWorld();
  });
  afterAll(async () => world?.close());
  afterEach(() => {
    world.gusto.knobs.webhook.duplicates = 0;
    world.gusto.knobs.webhook.reorder = false;
  });

  it('every event delivered three times: one Acumatica employee, one write', async () => {
    world.gusto.knobs.webhook.duplicates = 2;
    const before = employeePuts(world);
    const uuid = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Elena',
      lastName: 'Novak',
      department: 'Sales',
    }).uuid as string;
    await mirrorUntil(world, uuid, (i) => i.acumaticaEmployeeId !== null);
    await waitFor(
      'all three deliveries answered',
      () => world.gusto.deliveries.filter((d) => d.body.includes(uuid) && d.status === 200).length === 3,
    );
    await new Promise((r) => setTimeout(r, 200)); // let any stray duplicate finish its (no-op) sync
    expect(acumaticaEmployeesWith(world, uuid)).toHaveLength(1);
    expect(employeePuts(world) - before).toBe(1);
    expect((acumaticaEmployee(world, uuid)?.EmployeeSettings as Record<string, unknown>).DepartmentID).toBe('SALES');
  });

  it('terminated delivered before created: one Inactive employee, created once', async () => {
    // Both events are emitted in one tick; the sandbox sends that batch in reverse order.
    world.gusto.knobs.webhook.reorder = true;
    world.gusto.knobs.webhook.delayMs = 20;
    const before = employeePuts(world);
    const uuid = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Kwame',
      lastName: 'Mensah',
      department: 'Engineering',
    }).uuid as string;
    world.gusto.scenario.terminateEmployee(uuid, { effectiveDate: isoDaysFromNow(world, -2) });
    await waitFor(
      'both deliveries answered',
      () => world.gusto.deliveries.filter((d) => d.body.includes(uuid) && d.status === 200).length === 2,
    );
    const order = world.gusto.deliveries.filter((d) => d.body.includes(uuid)).map((d) => d.eventType);
    expect(order).toEqual(['employee.terminated', 'employee.created']);
    await mirrorUntil(world, uuid, (i) => i.status === 'terminated');
    await new Promise((r) => setTimeout(r, 200));
    expect(acumaticaEmployeesWith(world, uuid)).toHaveLength(1);
    expect(acumaticaEmployee(world, uuid)?.Status).toBe('Inactive');
    expect(employeePuts(world) - before).toBe(1);
    world.gusto.knobs.webhook.delayMs = 0;
  });

  it('an update and a rehire arriving in reverse order end with the latest Gusto state', async () => {
    const uuid = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Hiro',
      lastName: 'Tanaka',
      department: 'Engineering',
    }).uuid as string;
    world.gusto.scenario.terminateEmployee(uuid, { effectiveDate: isoDaysFromNow(world, -5) });
    await mirrorUntil(world, uuid, (i) => i.status === 'terminated');
    world.gusto.knobs.webhook.reorder = true;
    world.gusto.knobs.webhook.delayMs = 20;
    world.gusto.scenario.rehireEmployee(uuid, { effectiveDate: isoDaysFromNow(world, 0) });
    world.gusto.scenario.updateEmployee(uuid, { lastName: 'Tanaka-Ito' });
    await mirrorUntil(world, uuid, (i) => i.status === 'active' && i.name === 'Hiro Tanaka-Ito');
    const record = acumaticaEmployee(world, uuid);
    expect(record?.Status).toBe('Active');
    expect(record?.EmploymentHistory).toEqual([
      expect.objectContaining({ StartReason: 'New Hire', Terminated: true }),
      expect.objectContaining({ StartReason: 'Rehire', Active: true }),
    ]);
    world.gusto.knobs.webhook.delayMs = 0;
  });
});
