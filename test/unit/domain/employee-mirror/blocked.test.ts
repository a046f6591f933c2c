import { decideSync } from '../../../../src/domain/employee-mirror/decide';
import { acumatica, createdHistory, facts, given, mappingDoc, snapshot, syncRound, types } from './fixtures';
import { describeBlock } from '../../../../src/domain/employee-mirror/events';
import { recordRejection } from '../../../../src/domain/employee-mirror/decide';
import { fold } from '../../../../src/domain/employee-mirror/state';

const noDefault = () => mappingDoc({ defaultDepartment: undefined });

describe('EmployeeMirror — blocked syncs', () => {
  it('a Gusto department with no mapping and no default blocks the employee with a clear reason', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ gusto: snapshot({ department: 'Sales' }), mapping: noDefault() })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved', 'EmployeeSyncBlocked']);
    expect(decision.events[1]).toMatchObject({
      data: { reason: { code: 'department_unmapped', department: 'Sales' } },
    });
    const message = (decision.events[1].data as { message: string }).message;
    expect(message).toContain('"Sales"');
    expect(message).toContain('employees.defaultDepartment');
    expect(decision.write).toBeNull();
  });

  it('an employee with no department and no default is blocked', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ gusto: snapshot({ department: null }), mapping: noDefault() })))
      .thenAccepted();
    expect(decision.events[1]).toMatchObject({ data: { reason: { code: 'department_missing' } } });
  });

  it('a department named like an Object.prototype key does not resolve to it', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ gusto: snapshot({ department: 'constructor' }), mapping: noDefault() })))
      .thenAccepted();
    expect(decision.events[1]).toMatchObject({ data: { reason: { code: 'department_unmapped' } } });
  });

  it('reports the same block once', () => {
    const first = syncRound([], facts({ gusto: snapshot({ department: 'Sales' }), mapping: noDefault() }));
    const again = given(...first)
      .when((s) => decideSync(s, facts({ gusto: snapshot({ department: 'Sales' }), mapping: noDefault() })))
      .thenAccepted();
    expect(again).toEqual({ events: [], write: null });
  });

  it('proceeds once the mapping covers the department, and the block is cleared', () => {
    const blocked = syncRound([], facts({ gusto: snapshot({ department: 'Sales' }), mapping: noDefault() }));
    const events = syncRound(
      blocked,
      facts({ gusto: snapshot({ department: 'Sales' }), mapping: mappingDoc({ departments: { Sales: 'SALES' } }) }),
    );
    expect(types(events)).toEqual(['AcumaticaEmployeeCreated']);
    expect(fold([...blocked, ...events]).blocked).toBeNull();
  });

  it('no mapping at all blocks with mapping_missing', () => {
    const decision = given()
      .when((s) => decideSync(s, facts({ mapping: null })))
      .thenAccepted();
    expect(decision.events[1]).toMatchObject({ data: { reason: { code: 'mapping_missing' } } });
  });

  it('an employee Gusto no longer knows is blocked, not deleted', () => {
    const decision = given(...createdHistory())
      .when((s) => decideSync(s, facts({ gusto: null })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeSyncBlocked']);
    expect(decision.events[0]).toMatchObject({ data: { reason: { code: 'gusto_employee_not_found' } } });
  });

  it('records an Acumatica rejection once, and clears it when a later sync finds nothing to do', () => {
    const history = createdHistory();
    const rejected = given(...history)
      .when((s) => recordRejection(s, "DepartmentID: 'XYZ' cannot be found in the system."))
      .thenTypes('EmployeeSyncBlocked').events;
    given(...history, ...rejected)
      .when((s) => recordRejection(s, "DepartmentID: 'XYZ' cannot be found in the system."))
      .then();
    const later = given(...history, ...rejected)
      .when((s) => decideSync(s, facts({ acumatica: { byRefNbr: acumatica(), byEmail: null } })))
      .thenAccepted();
    expect(types(later.events)).toEqual(['EmployeeSyncUnblocked']);
  });

  it('every block reason has words for the operator', () => {
    expect(describeBlock({ code: 'acumatica_rejected', message: 'boom' })).toContain('boom');
  });
});
