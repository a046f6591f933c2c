import type { Plain } from '../../../src/sandbox/acumatica';
import {
  acumaticaEmployee,
  acumaticaEmployeesWith,
  advanceDays,
  employeePuts,
  employeeWorld,
  isoDaysFromNow,
  mirrorUntil,
  waitFor,
  type EmployeeWorld,
} from './support';

const settings = (e: Plain | undefined) => (e?.EmployeeSettings ?? {}) as Plain;
const contact = (e: Plain | undefined) => (e?.ContactInfo ?? {}) as Plain;
const history = (e: Plain | undefined) => (e?.EmploymentHistory ?? []) as Plain[];

describe('employee mirror e2e: hire → update → terminate → rehire over real webhooks', () => {
  let world: EmployeeWorld;
  beforeAll(async () => {
    world = await employeeWorld();
  });
  afterAll(async () => world?.close());

  it('follows one employee through their whole employment, one Acumatica write per change', async () => {
    const hired = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Priya',
      lastName: 'Raman',
      email: 'priya.raman@home.example',
      department: 'Engineering',
      jobTitle: 'Software Engineer',
      hireDate: '2025-01-06',
    });
    const uuid = hired.uuid as string;

    // hire → created, EmployeeRefNbr = Gusto uuid, mapped department and class, New Hire line
    const created = await mirrorUntil(world, uuid, (i) => i.acumaticaEmployeeId !== null);
    expect(created).toMatchObject({
      gustoUuid: uuid,
      name: 'Priya Raman',
      status: 'active',
      acumaticaEmployeeId: expect.stringMatching(/^EP\d+/),
      lastSyncAt: expect.any(String),
    });
    expect(created.problem).toBeUndefined();
    let record = acumaticaEmployee(world, uuid);
    expect(record).toMatchObject({ EmployeeID: created.acumaticaEmployeeId, Status: 'Active' });
    expect(settings(record)).toMatchObject({ EmployeeRefNbr: uuid, DepartmentID: 'ENG', EmployeeClass: 'EMPSTAND' });
    expect(contact(record)).toMatchObject({ FirstName: 'Priya', LastName: 'Raman', Title: 'Software Engineer' });
    expect(history(record)).toEqual([
      expect.objectContaining({
        StartReason: 'New Hire',
        Active: true,
        StartDate: expect.stringMatching(/^2025-01-06/),
      }),
    ]);
    expect(employeePuts(world)).toBe(1);

    // update → the changed fields written
    world.gusto.scenario.updateEmployee(uuid, {
      lastName: 'Raman-Iyer',
      department: 'Finance',
      jobTitle: 'Controller',
    });
    record = await waitFor('update in Acumatica', () => {
      const r = acumaticaEmployee(world, uuid);
      return settings(r).DepartmentID === 'FIN' ? r : null;
    });
    expect(contact(record)).toMatchObject({ LastName: 'Raman-Iyer', Title: 'Controller' });
    expect(record!.EmployeeName).toBe('Priya Raman-Iyer');
    await mirrorUntil(world, uuid, (i) => i.name === 'Priya Raman-Iyer');
    expect(employeePuts(world)).toBe(2);

    // terminate (in effect: last day three days ago) → Inactive, the open history line closed on that day
    const lastDay = isoDaysFromNow(world, -3);
    world.gusto.scenario.terminateEmployee(uuid, { effectiveDate: lastDay });
    const terminated = await mirrorUntil(world, uuid, (i) => i.status === 'terminated');
    expect(terminated.acumaticaEmployeeId).toBe(created.acumaticaEmployeeId);
    record = acumaticaEmployee(world, uuid);
    expect(record?.Status).toBe('Inactive');
    expect(history(record)).toEqual([
      expect.objectContaining({
        StartReason: 'New Hire',
        Active: false,
        Terminated: true,
        RehireEligible: true,
        EndDate: expect.stringMatching(new RegExp(`^${lastDay}`)),
      }),
    ]);
    expect(employeePuts(world)).toBe(3);

    // rehire → Active again, a new history line with StartReason Rehire
    world.gusto.scenario.rehireEmployee(uuid, { effectiveDate: isoDaysFromNow(world, 0) });
    await mirrorUntil(world, uuid, (i) => i.status === 'active');
    record = acumaticaEmployee(world, uuid);
    expect(record?.Status).toBe('Active');
    expect(history(record)).toHaveLength(2);
    expect(history(record)[1]).toMatchObject({ StartReason: 'Rehire', Active: true });
    expect(employeePuts(world)).toBe(4);
    expect(acumaticaEmployeesWith(world, uuid)).toHaveLength(1);

    // the whole story is in the audit trail, tied to the connection
    const audit = await world.api('GET', `/api/audit/events?connectionId=${world.connectionId}&limit=500`);
    expect(audit.status).toBe(200);
    const mine = audit.body.items.filter((e: any) => e.stream === `employee-mirror-${world.connectionId}-${uuid}`);
    expect(mine.map((e: any) => e.type)).toEqual([
      'EmployeeObserved',
      'AcumaticaEmployeeCreated',
      'EmployeeObserved',
      'AcumaticaEmployeeUpdated',
      'EmployeeObserved',
      'EmployeeTerminated',
      'EmployeeObserved',
      'EmployeeRehired',
    ]);
  });

  it('a future-dated termination waits for its day; the poll applies it then', async () => {
    const uuid = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Jordan',
      lastName: 'Ruiz',
      department: 'Operations',
    }).uuid as string;
    await mirrorUntil(world, uuid, (i) => i.acumaticaEmployeeId !== null);
    const lastDay = isoDaysFromNow(world, 2);
    world.gusto.scenario.terminateEmployee(uuid, { effectiveDate: lastDay });
    await mirrorUntil(world, uuid, (i) => i.status === 'termination_scheduled');
    expect(acumaticaEmployee(world, uuid)?.Status).toBe('Active');

    advanceDays(world, 4);
    const sync = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
    if (![200, 202].includes(sync.status)) throw new Error(`sync: ${sync.status} ${JSON.stringify(sync.body)}`);
    await mirrorUntil(world, uuid, (i) => i.status === 'terminated');
    expect(acumaticaEmployee(world, uuid)?.Status).toBe('Inactive');
    expect(history(acumaticaEmployee(world, uuid))[0]).toMatchObject({
      Terminated: true,
      EndDate: expect.stringMatching(new RegExp(`^${lastDay}`)),
    });
  });

  it('links an employee keyed into Acumatica by hand (found by email) instead of creating a duplicate', async () => {
    const seeded = world.acumatica.records
      .employees()
      .find((e) => (e.ContactInfo as Plain).Email === 'dana.whitfield@acme.example')!;
    expect(settings(seeded).EmployeeRefNbr ?? null).toBeNull();
    const count = world.acumatica.records.employees().length;
    const uuid = world.gusto.scenario.createEmployee(world.companyUuid, {
      firstName: 'Dana',
      lastName: 'Whitfield',
      email: 'dana.whitfield@acme.example',
      department: 'Operations',
    }).uuid as string;
    const linked = await mirrorUntil(world, uuid, (i) => i.acumaticaEmployeeId !== null);
    expect(linked.acumaticaEmployeeId).toBe(seeded.EmployeeID);
    expect(world.acumatica.records.employees()).toHaveLength(count);
    const record = acumaticaEmployee(world, uuid);
    expect(record?.EmployeeID).toBe(seeded.EmployeeID);
    expect(settings(record)).toMatchObject({ EmployeeRefNbr: uuid, DepartmentID: 'OPS' });
    const audit = await world.api(
      'GET',
      `/api/audit/events?connectionId=${world.connectionId}&type=AcumaticaEmployeeMatched&limit=500`,
    );
    expect(audit.body.items.find((e: any) => e.stream.endsWith(uuid))?.data).toMatchObject({
      employeeId: seeded.EmployeeID,
      by: 'email',
    });
  });

  it('GET /api/employees: 400 without connectionId, 404 for an unknown one, 401 without the token', async () => {
    const missing = await world.api('GET', '/api/employees');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('validation_failed');
    expect(missing.body.details.join(' ')).toContain('connectionId');
    expect((await world.api('GET', '/api/employees?connectionId=nope')).status).toBe(404);
    const badCursor = await world.api('GET', `/api/employees?connectionId=${world.connectionId}&cursor=nonsense`);
    expect([badCursor.status, badCursor.body.error]).toEqual([400, 'invalid_cursor']);
    expect((await world.api('GET', `/api/employees?connectionId=${world.connectionId}&limit=0`)).status).toBe(400);
    const docs = await world.api('GET', '/docs-json', undefined, {});
    expect(docs.body.paths['/api/employees'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['connectionId', 'limit', 'cursor']),
    );
    expect((await world.api('GET', `/api/employees?connectionId=${world.connectionId}`, undefined, {})).status).toBe(
      401,
    );
  });
});
