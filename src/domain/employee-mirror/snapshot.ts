import type { GustoEmployee } from '../payroll/gusto-payroll';

/**
 * The part of a Gusto employee that the Acumatica record mirrors. Recorded in EmployeeObserved so an
 * auditor sees exactly what the connector read, and so a repeated read of the same state is a no-op.
 */
export interface EmployeeSnapshot {
  firstName: string;
  lastName: string;
  /** Work email when Gusto has one (that is what Acumatica users know a colleague by), else personal. */
  email: string | null;
  /** The personal email when the work email took its place: a record keyed in by hand may carry either. */
  alternateEmail: string | null;
  /** Gusto department title: the key of the mapping's `employees.departments`. */
  department: string | null;
  /** The primary job's title. */
  jobTitle: string | null;
  /** The primary job's hire date (YYYY-MM-DD): the history line's StartDate, and how a rehire is told apart. */
  hireDate: string | null;
  /** Gusto's flag: "has been or is scheduled to be" terminated — so possibly future-dated. */
  terminated: boolean;
  /** The termination's effective date (last day worked), when Gusto has a termination record. */
  terminationEffectiveDate: string | null;
  /** Gusto's own "termination in effect" flag on that record. */
  terminationActive: boolean;
}

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

export function snapshotOf(employee: GustoEmployee): EmployeeSnapshot {
  const jobs = employee.jobs ?? [];
  const job = jobs.find((j) => j.primary) ?? jobs[0];
  // Gusto keeps at most one termination record; if several ever appear, the latest one is the one that counts.
  const termination = [...(employee.terminations ?? [])].sort((a, b) =>
    b.effective_date.localeCompare(a.effective_date),
  )[0];
  return {
    firstName: employee.first_name.trim(),
    lastName: employee.last_name.trim(),
    email: text(employee.work_email) ?? text(employee.email),
    alternateEmail:
      text(employee.work_email) && text(employee.email) !== text(employee.work_email) ? text(employee.email) : null,
    department: text(employee.department),
    jobTitle: text(job?.title),
    hireDate: job?.hire_date ? job.hire_date.slice(0, 10) : null,
    terminated: employee.terminated,
    terminationEffectiveDate: termination ? termination.effective_date.slice(0, 10) : null,
    terminationActive: termination?.active ?? false,
  };
}

export function sameSnapshot(a: EmployeeSnapshot | undefined, b: EmployeeSnapshot): boolean {
  if (!a) return false;
  return (Object.keys(b) as Array<keyof EmployeeSnapshot>).every((key) => a[key] === b[key]);
}
