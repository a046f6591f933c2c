import {
  decideSync,
  recordWrite,
  type SyncFacts,
  type WriteIntent,
} from '../../../../src/domain/employee-mirror/decide';
import type { EmployeeMirrorEvent } from '../../../../src/domain/employee-mirror/events';
import { employeesMappingOf } from '../../../../src/domain/employee-mirror/mapping';
import type { AcumaticaEmployeeRecord } from '../../../../src/domain/employee-mirror/record';
import type { EmployeeSnapshot } from '../../../../src/domain/employee-mirror/snapshot';
import { fold } from '../../../../src/domain/employee-mirror/state';
import { decider } from '../../../support/decider-spec';

export const CONNECTION = 'conn-1';
export const UUID = 'e-7c2e9f41';
export const T0 = new Date('2026-03-02T18:00:00Z');

export const snapshot = (overrides: Partial<EmployeeSnapshot> = {}): EmployeeSnapshot => ({
  firstName: 'Priya',
  lastName: 'Raman',
  email: 'priya@acme.example',
  alternateEmail: null,
  department: 'Engineering',
  jobTitle: 'Engineer',
  hireDate: '2025-01-06',
  terminated: false,
  terminationEffectiveDate: null,
  terminationActive: false,
  ...overrides,
});

export const mappingDoc = (employees: Record<string, unknown> = {}) => ({
  employees: employeesMappingOf({
    employees: {
      defaultDepartment: 'ADMIN',
      departments: { Engineering: 'ENG' },
      employeeClass: 'EMPSTAND',
      ...employees,
    },
  }),
});

/** An Acumatica record as our create would have left it. */
export const acumatica = (overrides: Partial<AcumaticaEmployeeRecord> = {}): AcumaticaEmployeeRecord => ({
  employeeId: 'EP00000042',
  refNbr: UUID,
  status: 'Active',
  firstName: 'Priya',
  lastName: 'Raman',
  email: 'priya@acme.example',
  title: 'Engineer',
  departmentId: 'ENG',
  lastModifiedDateTime: '2026-03-02T18:00:01.000+00:00',
  employmentHistory: [
    { id: 'line-1', lineNbr: 1, startDate: '2025-01-06T00:00:00+00:00', startReason: 'New Hire', active: true },
  ],
  ...overrides,
});

export const facts = (overrides: Partial<SyncFacts> = {}): SyncFacts => ({
  connectionId: CONNECTION,
  employeeUuid: UUID,
  trigger: 'webhook',
  gusto: snapshot(),
  mapping: mappingDoc(),
  acumatica: { byRefNbr: null, byEmail: null },
  now: T0,
  ...overrides,
});

/** Given these past events, when …: the employee mirror's deciders through the one given/when/then helper. */
export const { given } = decider(fold);

/** The whole round: decide, "PUT", record — returns every event a handler would append. */
export function syncRound(
  history: EmployeeMirrorEvent[],
  f: SyncFacts,
  answer?: (intent: WriteIntent) => AcumaticaEmployeeRecord,
): EmployeeMirrorEvent[] {
  const decision = given(...history)
    .when((s) => decideSync(s, f))
    .thenAccepted();
  if (!decision.write) return decision.events;
  const write = decision.write;
  const response = answer
    ? answer(write)
    : { ...write.body, employeeId: 'EP00000042', lastModifiedDateTime: '2026-03-02T18:00:01.000+00:00' };
  const written = given(...history, ...decision.events)
    .when((s) => recordWrite(s, write, response))
    .thenAccepted();
  return [...decision.events, ...written.events];
}

export const types = (events: EmployeeMirrorEvent[]): string[] => events.map((e) => e.type);

/** A history in which the employee was created in Acumatica from snapshot(). */
export const createdHistory = (): EmployeeMirrorEvent[] => syncRound([], facts());
