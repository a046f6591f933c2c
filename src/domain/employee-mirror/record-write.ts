/** What Acumatica answered to the write a sync decided on (`write-intent.ts`), as events. */
import { accept, refuse, type Accepted, type Decision } from '../shared/decision';
import { describeBlock, type BlockReason, type EmployeeMirrorEvent } from './events';
import { lifecycleEvent } from './lifecycle';
import type { AcumaticaEmployeeRecord } from './record';
import type { EmployeeMirrorState } from './state';
import type { WriteIntent } from './write-intent';

export type EmployeeMirrorError = 'acumatica_record_without_id' | 'created_without_employee_id';

/** What Acumatica answered to the PUT of `intent`, as events. */
export function recordWrite(
  state: EmployeeMirrorState,
  intent: WriteIntent,
  result: AcumaticaEmployeeRecord,
): Decision<EmployeeMirrorEvent, EmployeeMirrorError> {
  const lastModifiedDateTime = result.lastModifiedDateTime ?? null;
  if (intent.kind === 'create') {
    if (!result.employeeId) return refuse('created_without_employee_id');
    const events: EmployeeMirrorEvent[] = [
      {
        type: 'AcumaticaEmployeeCreated',
        data: {
          employeeId: result.employeeId,
          values: intent.values,
          employeeClass: intent.employeeClass,
          hireDate: intent.hireDate,
          lastModifiedDateTime,
        },
      },
    ];
    if (intent.terminatedOn !== null) {
      events.push({
        type: 'EmployeeTerminated',
        data: {
          employeeId: result.employeeId,
          effectiveDate: intent.terminatedOn,
          historyLineClosed: true,
          lastModifiedDateTime,
        },
      });
    }
    return accept(...events);
  }
  const events: EmployeeMirrorEvent[] = [];
  if (intent.changes.length > 0) {
    events.push({
      type: 'AcumaticaEmployeeUpdated',
      data: {
        employeeId: intent.employeeId,
        changes: intent.changes,
        overwroteDrift: intent.overwroteDrift,
        lastModifiedDateTime,
      },
    });
  }
  if (intent.lifecycle) events.push(lifecycleEvent(intent.lifecycle, intent.employeeId, lastModifiedDateTime));
  if (intent.overwroteDrift) events.push({ type: 'DriftResolved', data: { how: 'overwritten' } });
  return accept(...events);
}

/** Acumatica refused the write for a business reason: say so, and wait for a person or a changed input. */
export function recordRejection(state: EmployeeMirrorState, message: string): Accepted<EmployeeMirrorEvent> {
  const reason: BlockReason = { code: 'acumatica_rejected', message };
  if (JSON.stringify(state.blocked) === JSON.stringify(reason)) return accept();
  return accept({ type: 'EmployeeSyncBlocked', data: { reason, message: describeBlock(reason) } });
}
