import { pacificDate, type Employment } from './employment';
import type { EmployeeMirrorEvent } from './events';
import { ACTIVE, INACTIVE, activeHistoryLine, type AcumaticaEmployeeRecord } from './record';
import type { EmployeeSnapshot } from './snapshot';
import type { EmployeeMirrorState } from './state';

/**
 * A change of employment that Acumatica records as Status plus an EmploymentHistory line, not as a plain
 * field: terminate (close the open line), rehire (a new line with StartReason Rehire).
 */
export type LifecycleStep = (
  { kind: 'terminate'; effectiveDate: string; historyLineClosed: boolean } | { kind: 'rehire'; startDate: string }
) & {
  /** Acumatica already shows the outcome (an earlier run wrote it, or a person did): record it, write nothing. */
  alreadyDone: boolean;
  /** Status and history line to PUT; empty when alreadyDone. */
  body: Pick<AcumaticaEmployeeRecord, 'status' | 'employmentHistory'>;
};

export function lifecycleStep(
  state: EmployeeMirrorState,
  gusto: EmployeeSnapshot,
  employment: Employment,
  actual: AcumaticaEmployeeRecord,
  now: Date,
): LifecycleStep | null {
  const openLine = activeHistoryLine(actual);
  if (employment.kind === 'terminated' && state.appliedTermination === null) {
    const effectiveDate = employment.effectiveDate ?? pacificDate(now);
    if (actual.status === INACTIVE && !openLine) {
      return { kind: 'terminate', effectiveDate, historyLineClosed: false, alreadyDone: true, body: {} };
    }
    const body: LifecycleStep['body'] = { status: INACTIVE };
    // The reference's termination: Status Inactive plus the open position line closed on the last day worked.
    if (openLine) {
      body.employmentHistory = [
        {
          id: openLine.id,
          lineNbr: openLine.lineNbr,
          active: false,
          endDate: effectiveDate,
          terminated: true,
          rehireEligible: true,
        },
      ];
    }
    return { kind: 'terminate', effectiveDate, historyLineClosed: openLine !== undefined, alreadyDone: false, body };
  }
  if (employment.kind !== 'terminated' && state.appliedTermination !== null) {
    // Gusto can only cancel a termination that is not yet in effect, and we apply one only once it is:
    // an employee who is active again after a termination reached Acumatica has been rehired.
    const applied = state.appliedTermination.effectiveDate;
    const done =
      actual.status === ACTIVE && openLine !== undefined && (openLine.startDate ?? '').slice(0, 10) > applied;
    if (done)
      return { kind: 'rehire', startDate: (openLine?.startDate ?? '').slice(0, 10), alreadyDone: true, body: {} };
    // Gusto's employee record keeps the first hire date (the rehire's own date is on /rehire): a later hire
    // date is used when there is one, else the day the rehire is seen.
    const startDate = gusto.hireDate !== null && gusto.hireDate > applied ? gusto.hireDate : pacificDate(now);
    return {
      kind: 'rehire',
      startDate,
      alreadyDone: false,
      body: { status: ACTIVE, employmentHistory: [{ startDate, startReason: 'Rehire', active: true }] },
    };
  }
  return null;
}

/** The event that tells the step happened, once Acumatica shows it. */
export function lifecycleEvent(
  step: LifecycleStep,
  employeeId: string,
  lastModifiedDateTime: string | null,
): EmployeeMirrorEvent {
  switch (step.kind) {
    case 'terminate':
      return {
        type: 'EmployeeTerminated',
        data: {
          employeeId,
          effectiveDate: step.effectiveDate,
          historyLineClosed: step.historyLineClosed,
          lastModifiedDateTime,
        },
      };
    case 'rehire':
      return { type: 'EmployeeRehired', data: { employeeId, startDate: step.startDate, lastModifiedDateTime } };
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}
