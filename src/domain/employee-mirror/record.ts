/**
 * An Acumatica employee as the mirror reads and writes it (unwrapped from `{ value }`). Structurally the
 * same as the Acumatica port's AcumaticaEmployee, so the application passes one for the other; the domain
 * keeps its own copy because it imports nothing outside itself.
 */
export interface EmploymentHistoryLine {
  id?: string;
  lineNbr?: number;
  startDate?: string;
  /** null clears the date (reopening a line whose termination was cancelled). */
  endDate?: string | null;
  active?: boolean;
  terminated?: boolean;
  startReason?: string;
  terminationReason?: string;
  rehireEligible?: boolean;
}

export interface AcumaticaEmployeeRecord {
  employeeId?: string;
  refNbr?: string;
  status?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  title?: string;
  departmentId?: string;
  employeeClass?: string;
  lastModifiedDateTime?: string;
  employmentHistory?: EmploymentHistoryLine[];
}

/** The fields the mirror keeps equal to Gusto (class is set at creation only: changing it re-defaults finance settings). */
export const MIRRORED_FIELDS = ['firstName', 'lastName', 'email', 'title', 'departmentId', 'status'] as const;
export type MirroredField = (typeof MIRRORED_FIELDS)[number];
export type MirroredValues = Record<MirroredField, string | null>;

export const ACTIVE = 'Active';
export const INACTIVE = 'Inactive';

/** Acumatica echoes `{}` for empty values and may re-case an email: compare what a person would compare. */
export function normalized(field: MirroredField, value: string | null | undefined): string {
  const trimmed = (value ?? '').trim();
  return field === 'email' ? trimmed.toLowerCase() : trimmed;
}

export function valuesOf(record: AcumaticaEmployeeRecord): MirroredValues {
  return {
    firstName: record.firstName ?? null,
    lastName: record.lastName ?? null,
    email: record.email ?? null,
    title: record.title ?? null,
    departmentId: record.departmentId ?? null,
    status: record.status ?? null,
  };
}

/** The open position line: the one a termination closes. The latest start wins if a tenant has several. */
export function activeHistoryLine(record: AcumaticaEmployeeRecord): EmploymentHistoryLine | undefined {
  return (record.employmentHistory ?? [])
    .filter((line) => line.active === true)
    .sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''))[0];
}
