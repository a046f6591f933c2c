import { employeesMappingOf } from '../../../../src/domain/employee-mirror/mapping';
import { sameSnapshot, snapshotOf } from '../../../../src/domain/employee-mirror/snapshot';
import type { GustoEmployee } from '../../../../src/domain/payroll/gusto-payroll';

const marcus: GustoEmployee = {
  uuid: 'm-1',
  company_uuid: 'c-1',
  first_name: ' Marcus ',
  last_name: 'Webb',
  email: 'marcus@home.example',
  work_email: 'marcus.webb@acme.example',
  department: 'Operations',
  terminated: true,
  jobs: [
    { uuid: 'j-2', title: 'Night lead', hire_date: '2023-01-01', primary: false },
    { uuid: 'j-1', title: 'Warehouse Lead', hire_date: '2022-05-16', primary: true },
  ],
  terminations: [{ uuid: 't-1', active: true, cancelable: false, effective_date: '2025-12-31' }],
};

describe('snapshotOf', () => {
  it('keeps what the Acumatica record mirrors: legal name, work email, department, primary job, termination', () => {
    expect(snapshotOf(marcus)).toEqual({
      firstName: 'Marcus',
      lastName: 'Webb',
      email: 'marcus.webb@acme.example',
      alternateEmail: 'marcus@home.example',
      department: 'Operations',
      jobTitle: 'Warehouse Lead',
      hireDate: '2022-05-16',
      terminated: true,
      terminationEffectiveDate: '2025-12-31',
      terminationActive: true,
    });
  });

  it('falls back to the personal email and tolerates an employee with no job or department', () => {
    const s = snapshotOf({
      ...marcus,
      work_email: null,
      department: null,
      jobs: [],
      terminations: [],
      terminated: false,
    });
    expect(s).toMatchObject({
      email: 'marcus@home.example',
      alternateEmail: null,
      department: null,
      jobTitle: null,
      hireDate: null,
      terminationEffectiveDate: null,
    });
  });

  it('two reads of the same employee are the same snapshot', () => {
    expect(sameSnapshot(snapshotOf(marcus), snapshotOf({ ...marcus }))).toBe(true);
    expect(sameSnapshot(snapshotOf(marcus), snapshotOf({ ...marcus, last_name: 'Webber' }))).toBe(false);
  });
});

describe('employeesMappingOf', () => {
  it("reads the employees section, driftPolicy defaulting to 'flag'", () => {
    expect(
      employeesMappingOf({
        employees: { defaultDepartment: 'ADMIN', departments: { Engineering: 'ENG' }, employeeClass: 'EMPSTAND' },
      }),
    ).toEqual({
      defaultDepartment: 'ADMIN',
      departments: { Engineering: 'ENG' },
      employeeClass: 'EMPSTAND',
      driftPolicy: 'flag',
    });
  });
  it("accepts driftPolicy 'overwrite' and ignores junk", () => {
    expect(
      employeesMappingOf({ employees: { driftPolicy: 'overwrite', departments: { A: '', B: 7, C: 'CC' } } }),
    ).toEqual({
      defaultDepartment: null,
      departments: { C: 'CC' },
      employeeClass: null,
      driftPolicy: 'overwrite',
    });
  });
  it('no employees section → null', () => {
    expect(employeesMappingOf({ journal: {} })).toBeNull();
    expect(employeesMappingOf(null)).toBeNull();
  });
});
