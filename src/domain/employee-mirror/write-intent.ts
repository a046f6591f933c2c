/** The one write a sync decides on (`decide.ts`): the PUT to make in Acumatica and what it will change. */
import { pacificDate, type Employment } from './employment';
import type { FieldChange } from './events';
import type { LifecycleStep } from './lifecycle';
import type { EmployeesMapping } from './mapping';
import { ACTIVE, type AcumaticaEmployeeRecord, type MirroredValues } from './record';
import type { EmployeeSnapshot } from './snapshot';

export type WriteIntent =
  | {
      kind: 'create';
      body: AcumaticaEmployeeRecord;
      values: MirroredValues;
      employeeClass: string | null;
      hireDate: string;
      /** Created already terminated (first seen after leaving): the history line goes in closed. */
      terminatedOn: string | null;
    }
  | {
      kind: 'update';
      employeeId: string;
      body: AcumaticaEmployeeRecord;
      changes: FieldChange[];
      overwroteDrift: boolean;
      lifecycle: LifecycleStep | null;
    };

/** The PUT that creates the employee in Acumatica: mirrored values, the class, and the first history line. */
export function createIntent(
  employeeUuid: string,
  gusto: EmployeeSnapshot,
  now: Date,
  desired: MirroredValues,
  mapping: EmployeesMapping,
  employment: Employment,
): WriteIntent {
  const today = pacificDate(now);
  const hireDate = gusto.hireDate ?? today;
  const terminatedOn = employment.kind === 'terminated' ? (employment.effectiveDate ?? today) : null;
  const body: AcumaticaEmployeeRecord = {
    refNbr: employeeUuid,
    status: desired.status ?? ACTIVE,
    firstName: desired.firstName ?? undefined,
    lastName: desired.lastName ?? undefined,
    departmentId: desired.departmentId ?? undefined,
    employmentHistory: [
      terminatedOn === null
        ? { startDate: hireDate, startReason: 'New Hire', active: true }
        : {
            startDate: hireDate,
            startReason: 'New Hire',
            active: false,
            endDate: terminatedOn,
            terminated: true,
            rehireEligible: true,
          },
    ],
  };
  if (desired.email !== null) body.email = desired.email;
  if (desired.title !== null) body.title = desired.title;
  if (mapping.employeeClass !== null) body.employeeClass = mapping.employeeClass;
  return { kind: 'create', body, values: desired, employeeClass: mapping.employeeClass, hireDate, terminatedOn };
}
