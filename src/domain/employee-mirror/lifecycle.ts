import { pacificDate, type Employment } from './employment';
import type { EmployeeMirrorEvent } from './events';
import { ACTIVE, INACTIVE, activeHistoryLine, type AcumaticaEmployeeRecord } from './record';
import type { EmployeeSnapshot } from './snapshot';
import type { EmployeeMirrorState } from './state';

/**
 * A change of employment that Acumatica records as Status plus an EmploymentHistory line, not as a plain
 * field: terminate (close the open line), rehire (a new line with StartReason Rehire), reopen (a
 * termination Gusto withdrew after it had reached Acumatica).
 */
export type LifecycleStep = (
  | { kind: 'terminate'; effectiveDate: string; historyLineClosed: boolean }
  | { kind: 'rehire'; startDate: string }
  | { kind: 'reopen'; effectiveDate: string }
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
        { id: openLine.id, lineNbr: openLine.lineNbr, active: false, endDate: effectiveDate, terminated: true, rehireEligible: true },
      ];
    }
    return { kind: 'terminate', effectiveDate, historyLineClosed: openLine !== undefined, alreadyDone: false, body };
  }
  if (employment.kind !== 'terminated' && state.appliedTermination !== null) {
    const applied = state.appliedTermination.effectiveDate;
    const hiredAgainAfter = gusto.hireDate !== null && gusto.hireDate > applied;
    // A withdrawn termination leaves Gusto with no termination record and the old hire date; a rehire
    // keeps the old termination on file or starts a new employment after it.
    const isRehire = hiredAgainAfter || gusto.terminationEffectiveDate !== null;
    const done = actual.status === ACTIVE && openLine !== undefined;
    if (isRehire) {
      const startDate = done ? (openLine?.startDate ?? '').slice(0, 10) : hiredAgainAfter ? (gusto.hireDate as string) : pacificDate(now);
      return {
        kind: 'rehire',
        startDate,
        alreadyDone: done,
        body: done ? {} : { status: ACTIVE, employmentHistory: [{ startDate, startReason: 'Rehire', active: true }] },
      };
    }
    if (done) return { kind: 'reopen', effectiveDate: applied, alreadyDone: true, body: {} };
    const closed = (actual.employmentHistory ?? [])
      .filter((line) => line.terminated === true)
      .sort((a, b) => (b.endDate ?? '').localeCompare(a.endDate ?? ''))[0];
    const body: LifecycleStep['body'] = { status: ACTIVE };
    if (closed) body.employmentHistory = [{ id: closed.id, lineNbr: closed.lineNbr, active: true, endDate: null, terminated: false }];
    return { kind: 'reopen', effectiveDate: applied, alreadyDone: false, body };
  }
  return null;
}

/** The event that tells the step happened, once Acumatica shows it. */
export function lifecycleEvent(step: LifecycleStep, employeeId: string, lastModifiedDateTime: string | null): EmployeeMirrorEvent {
  switch (step.kind) {
    case 'terminate':
      return {
        type: 'EmployeeTerminated',
        data: { employeeId, effectiveDate: step.effectiveDate, historyLineClosed: step.historyLineClosed, lastModifiedDateTime },
      };
    case 'rehire':
      return { type: 'EmployeeRehired', data: { employeeId, startDate: step.startDate, lastModifiedDateTime } };
    case 'reopen':
      return { type: 'TerminationCancelled', data: { effectiveDate: step.effectiveDate, reopened: true, lastModifiedDateTime } };
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}
