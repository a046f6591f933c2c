import { harness } from './harness';

describe('SyncAllEmployees and GET /api/employees (query)', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('300 employees: 300 creates with at most 4 Acumatica calls in flight; an immediate second run writes nothing', async () => {
    for (let i = 0; i < 300; i++) h.gusto.hire(`e${String(i).padStart(3, '0')}`);
    const first = await h.poll();
    expect(first).toMatchObject({ total: 300, written: 300, blocked: [], failed: [] });
    expect(h.acumatica.records).toHaveLength(300);
    expect(h.acumatica.maxInFlight).toBeLessThanOrEqual(4);
    expect(h.acumatica.maxInFlight).toBeGreaterThan(1);
    const second = await h.poll();
    expect(second).toMatchObject({ total: 300, written: 0 });
    expect(h.acumatica.puts).toHaveLength(300);
  });

  it('an unmapped department (no default) blocks that employee with a clear reason; the rest proceed', async () => {
    h.connections.document = { employees: { departments: { Engineering: 'ENG' } } };
    h.gusto.hire('a1');
    h.gusto.hire('b2', { department: 'Sales' });
    h.gusto.hire('c3');
    const summary = await h.poll();
    expect(summary).toMatchObject({ written: 2, blocked: [{ employeeUuid: 'b2', reason: 'department_unmapped' }] });
    const page = await h.list();
    if (typeof page === 'string') throw new Error(page);
    expect(page.items.map((i) => [i.gustoUuid, i.status])).toEqual([
      ['a1', 'active'],
      ['b2', 'not_mirrored'],
      ['c3', 'active'],
    ]);
    expect(page.items[1]!.problem).toEqual({
      code: 'department_unmapped',
      message: expect.stringContaining('Gusto department "Sales" has no Acumatica department'),
    });
  });

  it('lists name, status, EmployeeID, last sync and drift; pages with a cursor', async () => {
    for (const id of ['a1', 'b2', 'c3']) h.gusto.hire(id);
    await h.poll();
    h.acumatica.editByHand('EP00000002', { lastName: 'Typo' });
    await h.poll();
    const first = await h.list({ limit: 2 });
    if (typeof first === 'string') throw new Error(first);
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toEqual({
      gustoUuid: 'a1',
      name: 'Avery Chen-a1',
      status: 'active',
      acumaticaEmployeeId: expect.stringMatching(/^EP/),
      lastSyncAt: '2026-03-02T18:00:00.000Z',
    });
    const everyone = await h.list();
    if (typeof everyone === 'string') throw new Error(everyone);
    const drifted = everyone.items.find((i) => i.acumaticaEmployeeId === 'EP00000002');
    expect(drifted?.drift).toEqual({
      fields: [{ field: 'lastName', gusto: expect.any(String), acumatica: 'Typo', lastWritten: expect.any(String) }],
    });
    expect(everyone.items.filter((i) => i.drift)).toHaveLength(1);
    const second = await h.list({ limit: 2, cursor: first.next! });
    if (typeof second === 'string') throw new Error(second);
    expect(second.items.map((i) => i.gustoUuid)).toEqual(['c3']);
    expect(second.next).toBeNull();
  });

  it('named errors: unknown connection, bad cursor', async () => {
    expect(await h.list({ cursor: 'not-a-cursor' })).toBe('invalid_cursor');
    const { EmployeeListQuery } = await import('../../../../../src/application/employee-mirror/employee-list.query');
    expect(await new EmployeeListQuery(h.store, h.connections).list('conn-unknown')).toBe('connection_not_found');
  });

  it('records each full run, and a run that changed nothing still moves "last sync"', async () => {
    h.gusto.hire('a1');
    await h.poll();
    h.clock.current = new Date('2026-03-02T18:15:00Z');
    const summary = await h.poll();
    expect(summary).toMatchObject({ total: 1, written: 0 });
    const runs = await h.store.readStream('employee-sync-conn-1');
    expect(runs.map((r) => [r.type, r.data])).toEqual([
      ['EmployeesSynced', { connectionId: 'conn-1', trigger: 'poll', total: 1, written: 1, blocked: 0, failed: [] }],
      ['EmployeesSynced', { connectionId: 'conn-1', trigger: 'poll', total: 1, written: 0, blocked: 0, failed: [] }],
    ]);
    expect(runs[1]!.metadata).toMatchObject({
      at: '2026-03-02T18:15:00.000Z',
      correlationId: 'poll-1',
      connectionId: 'conn-1',
    });
    const page = await h.list();
    if (typeof page === 'string') throw new Error(page);
    expect(page.items[0]!.lastSyncAt).toBe('2026-03-02T18:15:00.000Z');
  });
});
