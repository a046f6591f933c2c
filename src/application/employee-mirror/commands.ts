/** Commands of the employee mirror (handled by @CommandHandlers in this folder). */
export type EmployeeSyncTrigger = 'webhook' | 'poll' | 'manual';

/** Re-read one Gusto employee and bring its Acumatica record in line. */
export class SyncEmployeeCommand {
  constructor(
    readonly connectionId: string,
    readonly employeeUuid: string,
    readonly trigger: EmployeeSyncTrigger,
    /** The Gusto event type that prompted it (employee.created, employee.terminated, …), if any. */
    readonly eventType?: string,
    readonly sourceEventId?: string,
    readonly correlationId?: string,
  ) {}
}

/** Sync every employee of the connection's company (the poll, or an initial sync). */
export class SyncAllEmployeesCommand {
  constructor(
    readonly connectionId: string,
    readonly trigger: EmployeeSyncTrigger,
    readonly correlationId?: string,
    /** An API caller behind the run (POST …/sync): recorded as the actor instead of the trigger. */
    readonly requestedBy?: { id: string; name?: string },
  ) {}
}
