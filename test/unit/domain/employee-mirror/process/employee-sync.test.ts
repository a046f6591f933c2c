import { AcumaticaApiError } from '../../../../../src/application/ports/acumatica.port';
import { harness } from './harness';

describe('EmployeeSync (process) over the embedded store and fake Gusto/Acumatica', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('hire → one Acumatica employee with EmployeeRefNbr, department, class; a repeat writes nothing', async () => {
    h.gusto.hire('e1');
    const first = await h.webhook('e1', 'employee.created');
    expect(first).toMatchObject({
      wrote: true,
      blocked: null,
      appended: ['EmployeeObserved', 'AcumaticaEmployeeCreated'],
    });
    expect(h.acumatica.records).toEqual([
      expect.objectContaining({
        employeeId: 'EP00000001',
        refNbr: 'e1',
        departmentId: 'ENG',
        employeeClass: 'EMPSTAND',
        status: 'Active',
        email: 'e1@acme.example',
        title: 'Engineer',
      }),
    ]);
    const again = await h.webhook('e1', 'employee.created');
    expect(again).toMatchObject({ wrote: false, appended: [] });
    expect(h.acumatica.puts).toHaveLength(1);
  });

  it('stores the audit metadata: what caused it, who, when, which connection', async () => {
    h.gusto.hire('e1');
    await h.webhook('e1', 'employee.created', 'gusto-event-42');
    const [observed] = await h.store.readStream('employee-mirror-conn-1-e1');
    expect(observed!.metadata).toMatchObject({
      causationId: 'gusto-event-42',
      correlationId: 'gusto-event-42',
      actor: 'webhook',
      at: '2026-03-02T18:00:00.000Z',
      connectionId: 'conn-1',
    });
    expect(observed!.data).toMatchObject({ eventType: 'employee.created', sourceEventId: 'gusto-event-42' });
  });

  it('update → a PUT of just the changed field', async () => {
    h.gusto.hire('e1');
    await h.webhook('e1', 'employee.created');
    h.gusto.employees.get('e1')!.last_name = 'Chen-Ruiz';
    await h.webhook('e1', 'employee.updated');
    expect(h.acumatica.puts[1]).toEqual({ employeeId: 'EP00000001', lastName: 'Chen-Ruiz' });
  });

  it('terminate → Inactive with the open line closed; rehire → Active with a new Rehire line', async () => {
    h.gusto.hire('e1');
    await h.webhook('e1', 'employee.created');
    Object.assign(h.gusto.employees.get('e1')!, {
      terminated: true,
      terminations: [{ uuid: 't1', active: true, effective_date: '2026-02-27' }],
    });
    await h.webhook('e1', 'employee.terminated');
    const record = () => h.acumatica.records[0]!;
    expect(record().status).toBe('Inactive');
    expect(record().employmentHistory).toEqual([
      expect.objectContaining({ active: false, terminated: true, endDate: '2026-02-27', startReason: 'New Hire' }),
    ]);
    h.clock.current = new Date('2026-04-01T18:00:00Z');
    Object.assign(h.gusto.employees.get('e1')!, { terminated: false, terminations: [] });
    await h.webhook('e1', 'employee.rehired');
    expect(record().status).toBe('Active');
    expect(record().employmentHistory![1]).toEqual(
      expect.objectContaining({ active: true, startReason: 'Rehire', startDate: '2026-04-01' }),
    );
    expect(await h.events('e1')).toEqual([
      'EmployeeObserved',
      'AcumaticaEmployeeCreated',
      'EmployeeObserved',
      'EmployeeTerminated',
      'EmployeeObserved',
      'EmployeeRehired',
    ]);
  });

  it('duplicate webhooks arriving together create one record', async () => {
    h.gusto.hire('e1');
    await Promise.all([
      h.webhook('e1', 'employee.created', 'a'),
      h.webhook('e1', 'employee.created', 'a'),
      h.webhook('e1', 'employee.updated', 'b'),
    ]);
    expect(h.acumatica.records).toHaveLength(1);
    expect(h.acumatica.puts).toHaveLength(1);
  });

  it('out of order (terminated arrives before created): one Inactive record either way', async () => {
    h.gusto.hire('e1', {
      terminated: true,
      terminations: [{ uuid: 't1', active: true, effective_date: '2026-02-27' }],
    });
    await h.webhook('e1', 'employee.terminated');
    await h.webhook('e1', 'employee.created');
    expect(h.acumatica.records).toEqual([expect.objectContaining({ status: 'Inactive' })]);
    expect(h.acumatica.puts).toHaveLength(1);
  });

  it('a future-dated termination waits for its day and is applied by the poll', async () => {
    h.gusto.hire('e1', {
      terminated: true,
      terminations: [{ uuid: 't1', active: false, effective_date: '2026-03-10' }],
    });
    await h.webhook('e1', 'employee.terminated');
    expect(h.acumatica.records[0]!.status).toBe('Active');
    h.clock.current = new Date('2026-03-11T12:00:00Z');
    await h.poll();
    expect(h.acumatica.records[0]!.status).toBe('Inactive');
    expect(await h.events('e1')).toEqual([
      'EmployeeObserved',
      'TerminationScheduled',
      'AcumaticaEmployeeCreated',
      'EmployeeTerminated',
    ]);
  });

  it('links an existing Acumatica employee found by email and writes the Gusto uuid onto it', async () => {
    h.acumatica.records.push({
      employeeId: 'EP00000777',
      status: 'Active',
      firstName: 'Avery',
      lastName: 'Chen-e1',
      email: 'e1@acme.example',
      title: 'Engineer',
      departmentId: 'ENG',
      lastModifiedDateTime: '2025-01-01T00:00:00Z',
      employmentHistory: [],
    });
    h.gusto.hire('e1');
    const outcome = await h.webhook('e1');
    expect(outcome.appended).toEqual(['EmployeeObserved', 'AcumaticaEmployeeMatched', 'AcumaticaEmployeeUpdated']);
    expect(h.acumatica.puts).toEqual([{ employeeId: 'EP00000777', refNbr: 'e1' }]);
  });

  it('also finds a hand-made record by the personal email, and moves it to the work email', async () => {
    h.acumatica.records.push({
      employeeId: 'EP00000777',
      status: 'Active',
      firstName: 'Avery',
      lastName: 'Chen-e1',
      email: 'e1@home.example',
      title: 'Engineer',
      departmentId: 'ENG',
      lastModifiedDateTime: '2025-01-01T00:00:00Z',
      employmentHistory: [],
    });
    h.gusto.hire('e1');
    await h.webhook('e1');
    expect(h.acumatica.records).toHaveLength(1);
    expect(h.acumatica.puts).toEqual([{ employeeId: 'EP00000777', email: 'e1@acme.example', refNbr: 'e1' }]);
  });

  it('Acumatica refusing the employee blocks it with Acumatica’s words, without throwing', async () => {
    h.connections.document = { employees: { defaultDepartment: 'NOPE' } };
    h.gusto.hire('e1', { department: 'Warehouse' });
    const outcome = await h.webhook('e1');
    expect(outcome.blocked).toMatchObject({ code: 'acumatica_rejected' });
    expect((outcome.blocked as { message: string }).message).toContain("'Department ID' cannot be found");
  });

  it('a passing Acumatica failure throws (the inbox retries) but keeps what was observed', async () => {
    h.gusto.hire('e1');
    h.acumatica.failNext = new AcumaticaApiError('unavailable', 'socket hang up');
    await expect(h.webhook('e1')).rejects.toThrow('socket hang up');
    expect(await h.events('e1')).toEqual(['EmployeeObserved']);
    await h.webhook('e1');
    expect(h.acumatica.records).toHaveLength(1);
  });

  it('an employee Gusto does not know is reported, not thrown', async () => {
    const outcome = await h.webhook('ghost');
    expect(outcome.blocked).toEqual({ code: 'gusto_employee_not_found' });
  });

  it("drift: flagged and left under 'flag', overwritten under 'overwrite'", async () => {
    h.gusto.hire('e1');
    await h.webhook('e1');
    h.acumatica.editByHand('EP00000001', { title: 'Chief Tinkerer' });
    const flagged = await h.webhook('e1');
    expect(flagged).toMatchObject({ wrote: false, appended: ['DriftDetected'] });
    expect(h.acumatica.records[0]!.title).toBe('Chief Tinkerer');
    h.connections.document = {
      employees: { defaultDepartment: 'ADMIN', departments: { Engineering: 'ENG' }, driftPolicy: 'overwrite' },
    };
    const overwritten = await h.webhook('e1');
    expect(overwritten).toMatchObject({ wrote: true, appended: ['AcumaticaEmployeeUpdated', 'DriftResolved'] });
    expect(h.acumatica.records[0]!.title).toBe('Engineer');
  });

  it("the poll's older copy of an employee does not undo what a later webhook sync wrote", async () => {
    h.gusto.hire('e1');
    await h.webhook('e1', 'employee.created');
    const listedAt = new Date(h.clock.current.getTime() + 30_000);
    const listed = structuredClone(h.gusto.employees.get('e1')!);
    h.clock.current = new Date(h.clock.current.getTime() + 60_000);
    h.gusto.employees.get('e1')!.last_name = 'Chen-Ruiz';
    await h.webhook('e1', 'employee.updated');
    const outcome = await h.sync.sync({
      connectionId: 'conn-1',
      employeeUuid: 'e1',
      trigger: 'poll',
      gusto: listed,
      gustoReadAt: listedAt,
    });
    expect(outcome.wrote).toBe(false);
    expect(h.acumatica.records[0]!.lastName).toBe('Chen-Ruiz');
  });
});
