import type { DriftPolicy } from './mapping';
import type { MirroredField, MirroredValues } from './record';
import type { EmployeeSnapshot } from './snapshot';
import { eventTypes } from '../shared/event-types';

/** What caused a sync: a Gusto webhook, the scheduled poll, or an operator. */
export type SyncTrigger = 'webhook' | 'poll' | 'manual';

/** Why an employee cannot be mirrored right now, in terms an operator can act on. */
export type BlockReason =
  | { code: 'mapping_missing' }
  | { code: 'department_unmapped'; department: string }
  | { code: 'department_missing' }
  | { code: 'gusto_employee_not_found' }
  | { code: 'acumatica_employee_missing'; employeeId: string }
  | { code: 'acumatica_rejected'; message: string };
export type BlockCode = BlockReason['code'];

export interface FieldChange {
  /** refNbr: the Gusto uuid written onto a record that was matched by email. */
  field: MirroredField | 'refNbr';
  from: string | null;
  to: string | null;
}

export interface DriftedField {
  field: MirroredField;
  /** What Gusto says. */
  gusto: string | null;
  /** What someone typed into Acumatica. */
  acumatica: string | null;
  /** What the connector last wrote. */
  lastWritten: string | null;
}

/** The employee mirror's story, in past tense. Stream: employee-mirror-<connectionId>-<employeeUuid>. */
export type EmployeeMirrorEvent =
  | {
      type: 'EmployeeObserved';
      data: {
        connectionId: string;
        employeeUuid: string;
        trigger: SyncTrigger;
        eventType?: string;
        sourceEventId?: string;
        snapshot: EmployeeSnapshot;
      };
    }
  | {
      type: 'AcumaticaEmployeeMatched';
      data: { employeeId: string; by: 'refNbr' | 'email'; values: MirroredValues; lastModifiedDateTime: string | null };
    }
  | {
      type: 'AcumaticaEmployeeCreated';
      data: {
        employeeId: string;
        values: MirroredValues;
        employeeClass: string | null;
        hireDate: string;
        lastModifiedDateTime: string | null;
      };
    }
  | {
      type: 'AcumaticaEmployeeUpdated';
      data: {
        employeeId: string;
        changes: FieldChange[];
        overwroteDrift: boolean;
        lastModifiedDateTime: string | null;
      };
    }
  | { type: 'TerminationScheduled'; data: { effectiveDate: string } }
  | {
      type: 'EmployeeTerminated';
      data: {
        employeeId: string;
        effectiveDate: string;
        historyLineClosed: boolean;
        lastModifiedDateTime: string | null;
      };
    }
  /** A scheduled termination Gusto withdrew before its day: it never reached Acumatica. */
  | { type: 'TerminationCancelled'; data: { effectiveDate: string } }
  | { type: 'EmployeeRehired'; data: { employeeId: string; startDate: string; lastModifiedDateTime: string | null } }
  | { type: 'EmployeeSyncBlocked'; data: { reason: BlockReason; message: string } }
  | { type: 'EmployeeSyncUnblocked'; data: { previous: BlockCode } }
  | {
      type: 'DriftDetected';
      data: { employeeId: string; fields: DriftedField[]; acumaticaModifiedAt: string | null; policy: DriftPolicy };
    }
  | { type: 'DriftResolved'; data: { how: 'overwritten' | 'agreed' } };

export const EMPLOYEE_MIRROR_EVENT_TYPES = eventTypes<EmployeeMirrorEvent>()([
  'EmployeeObserved',
  'AcumaticaEmployeeMatched',
  'AcumaticaEmployeeCreated',
  'AcumaticaEmployeeUpdated',
  'TerminationScheduled',
  'EmployeeTerminated',
  'TerminationCancelled',
  'EmployeeRehired',
  'EmployeeSyncBlocked',
  'EmployeeSyncUnblocked',
  'DriftDetected',
  'DriftResolved',
]);

export const employeeMirrorStream = (connectionId: string, employeeUuid: string): string =>
  `employee-mirror-${connectionId}-${employeeUuid}`;

/**
 * One per full run (poll, initial sync): the audit trail shows that the mirror was checked even when
 * nothing needed writing, and GET /api/employees dates "last sync" from it. Stream: employee-sync-<connectionId>.
 */
export interface EmployeesSynced {
  type: 'EmployeesSynced';
  data: {
    connectionId: string;
    trigger: SyncTrigger;
    /** Employees Gusto listed. */
    total: number;
    /** Acumatica records written in this run. */
    written: number;
    blocked: number;
    /** Gusto uuids whose sync failed for a passing reason (retried on the next run). */
    failed: string[];
  };
}

export const employeeSyncRunStream = (connectionId: string): string => `employee-sync-${connectionId}`;

/** The words an operator reads in GET /api/employees and in the audit trail. */
export function describeBlock(reason: BlockReason): string {
  switch (reason.code) {
    case 'mapping_missing':
      return 'The connection has no mapping yet: save one with an employees section.';
    case 'department_unmapped':
      return `Gusto department "${reason.department}" has no Acumatica department in the mapping (employees.departments) and no employees.defaultDepartment is set.`;
    case 'department_missing':
      return 'The employee has no department in Gusto and the mapping sets no employees.defaultDepartment.';
    case 'gusto_employee_not_found':
      return 'Gusto no longer knows this employee (deleted?); the Acumatica record is left as it is.';
    case 'acumatica_employee_missing':
      return `Acumatica employee ${reason.employeeId} (linked earlier) can no longer be found by EmployeeRefNbr or email; not creating a duplicate.`;
    case 'acumatica_rejected':
      return `Acumatica rejected the employee: ${reason.message}`;
    default: {
      const unreachable: never = reason;
      return String(unreachable);
    }
  }
}
