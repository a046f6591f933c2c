import { refuse, type Accepted, type Refused } from '../shared/decision';
import { compareFields, sameDrift } from './drift';
import { employmentAt, type Employment } from './employment';
import {
  describeBlock,
  type BlockReason,
  type EmployeeMirrorEvent,
  type FieldChange,
  type SyncTrigger,
} from './events';
import { resolveDepartment, type EmployeesMapping } from './mapping';
import { ACTIVE, INACTIVE, valuesOf, type AcumaticaEmployeeRecord, type MirroredValues } from './record';
import { sameSnapshot, type EmployeeSnapshot } from './snapshot';
import { evolve, type EmployeeMirrorState } from './state';
import { lifecycleEvent, lifecycleStep } from './lifecycle';
import { createIntent, type WriteIntent } from './write-intent';
import type { EmployeeMirrorError } from './record-write';

export { createIntent, type WriteIntent } from './write-intent';
export { recordRejection, recordWrite, type EmployeeMirrorError } from './record-write';

/** Everything the process read before deciding; the decider itself reads nothing. */
export interface SyncFacts {
  connectionId: string;
  employeeUuid: string;
  trigger: SyncTrigger;
  eventType?: string;
  sourceEventId?: string;
  /** Gusto's current employee; null when Gusto answered 404. */
  gusto: EmployeeSnapshot | null;
  /** The connection's mapping; null when none has been accepted. `employees` null: the section is absent. */
  mapping: { employees: EmployeesMapping | null } | null;
  /** Looked up by EmployeeRefNbr = Gusto uuid first; by email only when that found nothing. */
  acumatica: { byRefNbr: AcumaticaEmployeeRecord | null; byEmail: AcumaticaEmployeeRecord | null };
  now: Date;
}

export interface SyncDecision extends Accepted<EmployeeMirrorEvent> {
  /** The one PUT to make, or null when Acumatica already agrees (a repeated sync writes nothing). */
  write: WriteIntent | null;
}

const emptyAcumatica = { byRefNbr: null, byEmail: null };

/** Observe Gusto, pick the Acumatica record, and say what (if anything) must be written. */
export function decideSync(state: EmployeeMirrorState, facts: SyncFacts): SyncDecision | Refused<EmployeeMirrorError> {
  const events: EmployeeMirrorEvent[] = [];
  let current = state;
  const push = (event: EmployeeMirrorEvent): void => {
    events.push(event);
    current = evolve(current, event);
  };
  const block = (reason: BlockReason): SyncDecision => {
    if (JSON.stringify(current.blocked) !== JSON.stringify(reason)) {
      push({ type: 'EmployeeSyncBlocked', data: { reason, message: describeBlock(reason) } });
    }
    return { events, write: null };
  };

  if (facts.gusto === null) return block({ code: 'gusto_employee_not_found' });
  const gusto = facts.gusto;
  if (current.connectionId === null || !sameSnapshot(current.snapshot ?? undefined, gusto)) {
    push({
      type: 'EmployeeObserved',
      data: {
        connectionId: facts.connectionId,
        employeeUuid: facts.employeeUuid,
        trigger: facts.trigger,
        ...(facts.eventType ? { eventType: facts.eventType } : {}),
        ...(facts.sourceEventId ? { sourceEventId: facts.sourceEventId } : {}),
        snapshot: gusto,
      },
    });
  }

  if (facts.mapping === null) return block({ code: 'mapping_missing' });
  const mapping: EmployeesMapping = facts.mapping.employees ?? {
    defaultDepartment: null,
    departments: {},
    employeeClass: null,
    driftPolicy: 'flag',
  };
  const department = resolveDepartment(mapping, gusto.department);
  if (!department.ok) return block(department.reason);

  const employment = employmentAt(gusto, facts.now);
  trackSchedule(current, employment, push);

  const { byRefNbr } = facts.acumatica ?? emptyAcumatica;
  // The email match only links a record nobody claimed yet (hand-made before the connector): one that
  // carries another Gusto uuid is a colleague sharing an address, and this employee gets a record of their own.
  const byEmail =
    facts.acumatica?.byEmail?.refNbr && facts.acumatica.byEmail.refNbr !== facts.employeeUuid
      ? null
      : (facts.acumatica?.byEmail ?? null);
  const actual = byRefNbr ?? byEmail;
  const desired: MirroredValues = {
    firstName: gusto.firstName,
    lastName: gusto.lastName,
    email: gusto.email,
    title: gusto.jobTitle,
    departmentId: department.departmentId,
    status: employment.kind === 'terminated' ? INACTIVE : ACTIVE,
  };

  if (actual === null) {
    if (current.employeeId !== null)
      return block({ code: 'acumatica_employee_missing', employeeId: current.employeeId });
    return {
      events,
      write: createIntent(facts.employeeUuid, gusto, facts.now, desired, mapping, employment),
    };
  }
  if (!actual.employeeId) return refuse('acumatica_record_without_id');
  if (current.employeeId !== actual.employeeId) {
    push({
      type: 'AcumaticaEmployeeMatched',
      data: {
        employeeId: actual.employeeId,
        by: byRefNbr ? 'refNbr' : 'email',
        values: valuesOf(actual),
        lastModifiedDateTime: actual.lastModifiedDateTime ?? null,
      },
    });
  }

  const step = lifecycleStep(current, gusto, employment, actual, facts.now);
  if (step?.alreadyDone) push(lifecycleEvent(step, actual.employeeId, actual.lastModifiedDateTime ?? null));
  const pending = step && !step.alreadyDone ? step : null;

  const comparison = compareFields({
    desired,
    actual,
    written: current.written,
    lastWriteModifiedAt: current.lastWriteModifiedAt,
    knownDrift: current.drift,
    policy: mapping.driftPolicy,
    skip: pending || step?.alreadyDone ? ['status'] : [],
  });
  if (comparison.drifted.length > 0 && !sameDrift(current.drift, comparison.drifted)) {
    push({
      type: 'DriftDetected',
      data: {
        employeeId: actual.employeeId,
        fields: comparison.drifted,
        acumaticaModifiedAt: actual.lastModifiedDateTime ?? null,
        policy: mapping.driftPolicy,
      },
    });
  }
  const overwroteDrift = mapping.driftPolicy === 'overwrite' && comparison.drifted.length > 0;
  if (comparison.drifted.length === 0 && current.drift !== null)
    push({ type: 'DriftResolved', data: { how: 'agreed' } });

  const linkRefNbr = actual.refNbr !== facts.employeeUuid;
  const changes: FieldChange[] = [...comparison.changes];
  if (linkRefNbr) changes.push({ field: 'refNbr', from: actual.refNbr ?? null, to: facts.employeeUuid });
  if (changes.length === 0 && pending === null) {
    if (current.blocked !== null) push({ type: 'EmployeeSyncUnblocked', data: { previous: current.blocked.code } });
    return { events, write: null };
  }
  const body: AcumaticaEmployeeRecord = { employeeId: actual.employeeId, ...(pending?.body ?? {}) };
  for (const change of changes) body[change.field] = change.to ?? undefined;
  return {
    events,
    write: { kind: 'update', employeeId: actual.employeeId, body, changes, overwroteDrift, lifecycle: pending },
  };
}

function trackSchedule(
  state: EmployeeMirrorState,
  employment: Employment,
  push: (e: EmployeeMirrorEvent) => void,
): void {
  if (employment.kind === 'termination_scheduled' && state.scheduledTermination !== employment.effectiveDate) {
    push({ type: 'TerminationScheduled', data: { effectiveDate: employment.effectiveDate } });
  }
  // A scheduled termination that Gusto withdrew before its day never reached Acumatica: nothing to undo there.
  if (employment.kind === 'active' && state.scheduledTermination !== null) {
    push({ type: 'TerminationCancelled', data: { effectiveDate: state.scheduledTermination } });
  }
}
