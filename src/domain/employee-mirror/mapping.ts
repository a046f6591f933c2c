/**
 * The `employees` section of the connection's mapping document, read defensively: the document is
 * validated by the mapping capability, but the mirror must still never crash on an odd one.
 */
export type DriftPolicy = 'flag' | 'overwrite';

export interface EmployeesMapping {
  defaultDepartment: string | null;
  departments: Readonly<Record<string, string>>;
  employeeClass: string | null;
  /** 'flag' (default): report hand edits in Acumatica and leave them; 'overwrite': Gusto wins. */
  driftPolicy: DriftPolicy;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** null when the document has no `employees` section at all. */
export function employeesMappingOf(document: unknown): EmployeesMapping | null {
  if (!isRecord(document) || !isRecord(document.employees)) return null;
  const section = document.employees;
  const departments: Record<string, string> = {};
  if (isRecord(section.departments)) {
    for (const [gusto, acumatica] of Object.entries(section.departments)) {
      const id = nonEmpty(acumatica);
      if (id) departments[gusto] = id;
    }
  }
  return {
    defaultDepartment: nonEmpty(section.defaultDepartment),
    departments,
    employeeClass: nonEmpty(section.employeeClass),
    driftPolicy: section.driftPolicy === 'overwrite' ? 'overwrite' : 'flag',
  };
}

export type DepartmentResolution =
  | { ok: true; departmentId: string }
  | { ok: false; reason: { code: 'department_unmapped'; department: string } | { code: 'department_missing' } };

/** Acumatica requires a DepartmentID: the mapped one, else the default, else the employee cannot be mirrored. */
export function resolveDepartment(mapping: EmployeesMapping, gustoDepartment: string | null): DepartmentResolution {
  // own keys only: a Gusto department called "constructor" must not find Object.prototype's.
  const mapped =
    gustoDepartment !== null && Object.hasOwn(mapping.departments, gustoDepartment)
      ? mapping.departments[gustoDepartment]
      : undefined;
  const departmentId = mapped ?? mapping.defaultDepartment;
  if (departmentId) return { ok: true, departmentId };
  return gustoDepartment === null
    ? { ok: false, reason: { code: 'department_missing' } }
    : { ok: false, reason: { code: 'department_unmapped', department: gustoDepartment } };
}
