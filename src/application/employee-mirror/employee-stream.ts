import { EMPLOYEE_MIRROR_EVENT_TYPES, type EmployeeMirrorEvent } from '../../domain/employee-mirror/events';
import { evolve, initialState, type EmployeeMirrorState } from '../../domain/employee-mirror/state';
import type { RecordedEvent } from '../ports/event-store.port';
import { aggregateOf, type Aggregate } from '../shared/command-handler';

/** The employee mirror's stream, for the command handler (anything a future version wrote is skipped, not misread). */
export const employeeMirrorAggregate: Aggregate<EmployeeMirrorState, EmployeeMirrorEvent> = aggregateOf(
  initialState,
  evolve,
  EMPLOYEE_MIRROR_EVENT_TYPES,
);

/** The stream's domain events. */
export const domainEvents = (recorded: readonly RecordedEvent[]): EmployeeMirrorEvent[] =>
  recorded.map((e) => employeeMirrorAggregate.toEvent(e)).filter((e): e is EmployeeMirrorEvent => e !== undefined);
