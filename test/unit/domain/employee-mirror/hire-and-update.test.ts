import { decideSync } from '../../../../src/domain/employee-mirror/decide';
import { acumatica, createdHistory, facts, given, mappingDoc, snapshot, syncRound, types, UUID } from './fixtures';
import { recordWrite } from '../../../../src/domain/employee-mirror/decide';
import { fold } from '../../../../src/domain/employee-mirror/state';

describe('EmployeeMirror — hire, link, update', () => {
  it('creates a new hire with EmployeeRefNbr = Gusto uuid, the mapped department and the class', () => {
    const decision = given()
      .when((s) => decideSync(s, facts()))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved']);
    expect(decision.write).toMatchObject({
      kind: 'create',
      body: {
        refNbr: UUID,
        status: 'Active',
        firstName: 'Priya',
        lastName: 'Raman',
        email: 'priya@acme.example',
        title: 'Engineer',
        departmentId: 'ENG',
        employeeClass: 'EMPSTAND',
        employmentHistory: [{ startDate: '2025-01-06', startReason: 'New Hire', active: true }],
      },
    });
  });

  it('records the EmployeeID Acumatica assigned', () => {
    const events = createdHistory();
    expect(types(events)).toEqual(['EmployeeObserved', 'AcumaticaEmployeeCreated']);
    expect(events[1]).toMatchObject({
      data: { employeeId: 'EP00000042', employeeClass: 'EMPSTAND', hireDate: '2025-01-06' },
    });
    expect(fold(events).employeeId).toBe('EP00000042');
  });

  it('a create answered without EmployeeID is a named error', () => {
    const decision = given()
      .when((s) => decideSync(s, facts()))
      .thenAccepted();
    given(...decision.events)
      .when((s) => recordWrite(s, decision.write!, {}))
      .thenError('created_without_employee_id');
  });

  it('a repeated sync with nothing changed writes nothing and records nothing', () => {
    const decision = given(...createdHistory())
      .when((s) => decideSync(s, facts({ acumatica: { byRefNbr: acumatica(), byEmail: null } })))
      .thenAccepted();
    expect(decision).toEqual({ events: [], write: null });
  });

  it('uses the default department for a Gusto department with no mapping', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ gusto: snapshot({ department: 'Sales' }) })))
      .thenAccepted();
    expect(decision.write?.body.departmentId).toBe('ADMIN');
  });

  it('links to a record found by EmployeeRefNbr instead of creating one', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ acumatica: { byRefNbr: acumatica(), byEmail: null } })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved', 'AcumaticaEmployeeMatched']);
    expect(decision.events[1]).toMatchObject({ data: { employeeId: 'EP00000042', by: 'refNbr' } });
    expect(decision.write).toBeNull();
  });

  it('links to a record found by email, reports it as an email match, and writes the uuid onto it', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ acumatica: { byRefNbr: null, byEmail: acumatica({ refNbr: undefined }) } })))
      .thenAccepted();
    expect(decision.events[1]).toMatchObject({ type: 'AcumaticaEmployeeMatched', data: { by: 'email' } });
    expect(decision.write).toMatchObject({
      kind: 'update',
      body: { employeeId: 'EP00000042', refNbr: UUID },
      changes: [{ field: 'refNbr', from: null, to: UUID }],
    });
  });

  it('does not take over a record found by email that belongs to another Gusto employee: creates one of its own', () => {
    const decision = given()
      .when((s) =>
        decideSync(s, facts({ acumatica: { byRefNbr: null, byEmail: acumatica({ refNbr: 'someone-else' }) } })),
      )
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved']);
    expect(decision.write).toMatchObject({ kind: 'create', body: { refNbr: UUID } });
  });

  it('passes a Gusto change on as an update of just the changed fields', () => {
    const events = syncRound(
      createdHistory(),
      facts({
        gusto: snapshot({ lastName: 'Raman-Iyer', jobTitle: 'Staff Engineer' }),
        acumatica: { byRefNbr: acumatica(), byEmail: null },
      }),
    );
    expect(types(events)).toEqual(['EmployeeObserved', 'AcumaticaEmployeeUpdated']);
    expect(events[1]).toMatchObject({
      data: {
        changes: [
          { field: 'lastName', from: 'Raman', to: 'Raman-Iyer' },
          { field: 'title', from: 'Engineer', to: 'Staff Engineer' },
        ],
        overwroteDrift: false,
      },
    });
  });

  it('moves the employee when the Gusto department changes', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: snapshot({ department: 'Finance' }),
            mapping: mappingDoc({ departments: { Engineering: 'ENG', Finance: 'FIN' } }),
            acumatica: { byRefNbr: acumatica(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(decision.write).toMatchObject({ kind: 'update', body: { employeeId: 'EP00000042', departmentId: 'FIN' } });
  });

  it('does not blank a value Gusto does not have (no email, no job title)', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: snapshot({ email: null, jobTitle: null }),
            acumatica: { byRefNbr: acumatica(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(decision.write).toBeNull();
  });

  it('compares emails as people do (case, blanks)', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(s, facts({ acumatica: { byRefNbr: acumatica({ email: ' Priya@ACME.example ' }), byEmail: null } })),
      )
      .thenAccepted();
    expect(decision.write).toBeNull();
  });

  it('does not create a duplicate when the linked record has vanished', () => {
    const decision = given(...createdHistory())
      .when((s) => decideSync(s, facts()))
      .thenAccepted();
    expect(decision.events).toEqual([
      expect.objectContaining({
        type: 'EmployeeSyncBlocked',
        data: expect.objectContaining({ reason: { code: 'acumatica_employee_missing', employeeId: 'EP00000042' } }),
      }),
    ]);
    expect(decision.write).toBeNull();
  });

  it('a record without EmployeeID is a named error', () => {
    const { employeeId: _omit, ...noId } = acumatica();
    given()
      .when((s) => decideSync(s, facts({ acumatica: { byRefNbr: noId, byEmail: null } })))
      .thenError('acumatica_record_without_id');
  });
});
