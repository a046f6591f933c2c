import type { BlockReason, DriftedField, EmployeeMirrorEvent } from './events';
import type { MirroredValues } from './record';
import type { EmployeeSnapshot } from './snapshot';

/** Everything a sync decision needs to remember between runs, folded from the stream. */
export interface EmployeeMirrorState {
  connectionId: string | null;
  employeeUuid: string | null;
  /** The last Gusto state read. */
  snapshot: EmployeeSnapshot | null;
  /** The linked Acumatica EmployeeID, once matched or created. */
  employeeId: string | null;
  /**
   * Per field, what Acumatica held after our last write (or when we linked to it): the baseline that tells a
   * hand edit apart from a Gusto change.
   */
  written: MirroredValues | null;
  /** Acumatica's LastModifiedDateTime right after our last write: anything newer was someone else. */
  lastWriteModifiedAt: string | null;
  /** A termination that reached Acumatica (Status Inactive, history line closed). */
  appliedTermination: { effectiveDate: string } | null;
  /** A future-dated termination waiting for its day. */
  scheduledTermination: string | null;
  drift: DriftedField[] | null;
  blocked: BlockReason | null;
}

export const initialState: EmployeeMirrorState = {
  connectionId: null,
  employeeUuid: null,
  snapshot: null,
  employeeId: null,
  written: null,
  lastWriteModifiedAt: null,
  appliedTermination: null,
  scheduledTermination: null,
  drift: null,
  blocked: null,
};

const emptyValues: MirroredValues = {
  firstName: null,
  lastName: null,
  email: null,
  title: null,
  departmentId: null,
  status: null,
};

const afterWrite = (state: EmployeeMirrorState, lastModified: string | null): Partial<EmployeeMirrorState> => ({
  lastWriteModifiedAt: lastModified ?? state.lastWriteModifiedAt,
  blocked: null,
});

export function evolve(state: EmployeeMirrorState, event: EmployeeMirrorEvent): EmployeeMirrorState {
  switch (event.type) {
    case 'EmployeeObserved':
      return {
        ...state,
        connectionId: event.data.connectionId,
        employeeUuid: event.data.employeeUuid,
        snapshot: event.data.snapshot,
      };
    case 'AcumaticaEmployeeMatched':
      return {
        ...state,
        employeeId: event.data.employeeId,
        written: event.data.values,
        lastWriteModifiedAt: event.data.lastModifiedDateTime,
        drift: null,
        blocked: null,
      };
    case 'AcumaticaEmployeeCreated':
      return {
        ...state,
        ...afterWrite(state, event.data.lastModifiedDateTime),
        employeeId: event.data.employeeId,
        written: event.data.values,
        appliedTermination: null,
        drift: null,
      };
    case 'AcumaticaEmployeeUpdated': {
      const written = { ...(state.written ?? emptyValues) };
      for (const change of event.data.changes) if (change.field !== 'refNbr') written[change.field] = change.to;
      return { ...state, ...afterWrite(state, event.data.lastModifiedDateTime), written };
    }
    case 'TerminationScheduled':
      return { ...state, scheduledTermination: event.data.effectiveDate };
    case 'EmployeeTerminated':
      return {
        ...state,
        ...afterWrite(state, event.data.lastModifiedDateTime),
        written: { ...(state.written ?? emptyValues), status: 'Inactive' },
        appliedTermination: { effectiveDate: event.data.effectiveDate },
        scheduledTermination: null,
      };
    case 'TerminationCancelled':
      return { ...state, scheduledTermination: null };
    case 'EmployeeRehired':
      return {
        ...state,
        ...afterWrite(state, event.data.lastModifiedDateTime),
        written: { ...(state.written ?? emptyValues), status: 'Active' },
        appliedTermination: null,
        scheduledTermination: null,
      };
    case 'EmployeeSyncBlocked':
      return { ...state, blocked: event.data.reason };
    case 'EmployeeSyncUnblocked':
      return { ...state, blocked: null };
    case 'DriftDetected':
      return { ...state, drift: event.data.fields };
    case 'DriftResolved':
      return { ...state, drift: null };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export const fold = (
  events: readonly EmployeeMirrorEvent[],
  from: EmployeeMirrorState = initialState,
): EmployeeMirrorState => events.reduce(evolve, from);
