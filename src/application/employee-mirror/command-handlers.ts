import { Inject, Optional } from '@nestjs/common';
import pLimit from 'p-limit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { employeeSyncRunStream, type BlockCode, type EmployeesSynced } from '../../domain/employee-mirror/events';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { GUSTO, type GustoApi } from '../ports/gusto.port';
import { SyncAllEmployeesCommand, SyncEmployeeCommand } from './commands';
import { EmployeeSync, type SyncOutcome } from './employee-sync';
import { EMPLOYEE_MIRROR_LOGGER, silentLogger, type MirrorLogger } from './mirror-logger';

/** Re-read one Gusto employee and bring its Acumatica record in line. Throws on transient failures so the inbox retries. */
@CommandHandler(SyncEmployeeCommand)
export class SyncEmployeeHandler implements ICommandHandler<SyncEmployeeCommand, SyncOutcome> {
  constructor(private readonly sync: EmployeeSync) {}

  execute(cmd: SyncEmployeeCommand): Promise<SyncOutcome> {
    return this.sync.sync({
      connectionId: cmd.connectionId,
      employeeUuid: cmd.employeeUuid,
      trigger: cmd.trigger,
      eventType: cmd.eventType,
      sourceEventId: cmd.sourceEventId,
      correlationId: cmd.correlationId,
    });
  }
}

export interface SyncAllSummary {
  connectionId: string;
  total: number;
  /** Employees whose Acumatica record was written (created, updated, terminated, rehired). */
  written: number;
  blocked: Array<{ employeeUuid: string; reason: BlockCode }>;
  /** Employees whose sync failed for a passing reason (they are retried on the next poll). */
  failed: Array<{ employeeUuid: string; error: string }>;
}

/**
 * Licence-friendly parallelism: four employees in flight (each makes one to three Acumatica calls), under
 * the Acumatica client's own per-tenant cap. Not configurable yet: no customer has asked.
 */
export const SYNC_ALL_CONCURRENCY = 4;

/** The poll, an initial sync, or an operator's "sync now": every employee Gusto lists, terminated included. */
@CommandHandler(SyncAllEmployeesCommand)
export class SyncAllEmployeesHandler implements ICommandHandler<SyncAllEmployeesCommand, SyncAllSummary> {
  constructor(
    private readonly sync: EmployeeSync,
    @Inject(GUSTO) private readonly gusto: GustoApi,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(EMPLOYEE_MIRROR_LOGGER) private readonly logger: MirrorLogger = silentLogger,
  ) {}

  async execute(cmd: SyncAllEmployeesCommand): Promise<SyncAllSummary> {
    // One list and one mapping read for the whole run: the list is as fresh as 300 single reads, at 1/300 of the cost.
    const readAt = this.clock.now();
    const employees = await this.gusto.listEmployees(cmd.connectionId);
    const mapping = await this.sync.mappingFor(cmd.connectionId);
    const summary: SyncAllSummary = {
      connectionId: cmd.connectionId,
      total: employees.length,
      written: 0,
      blocked: [],
      failed: [],
    };
    // At most SYNC_ALL_CONCURRENCY in flight: the licence caps concurrent requests and declines beyond a queue of 20.
    const limit = pLimit(SYNC_ALL_CONCURRENCY);
    await Promise.all(
      employees.map((employee) =>
        limit(async () => {
          try {
            const outcome = await this.sync.sync({
              connectionId: cmd.connectionId,
              employeeUuid: employee.uuid,
              trigger: cmd.trigger,
              correlationId: cmd.correlationId,
              ...(cmd.requestedBy ? { requestedBy: cmd.requestedBy } : {}),
              gusto: employee,
              gustoReadAt: readAt,
              mapping,
            });
            if (outcome.wrote) summary.written++;
            if (outcome.blocked) summary.blocked.push({ employeeUuid: employee.uuid, reason: outcome.blocked.code });
          } catch (error) {
            // One employee's failure must not stop the other 299.
            summary.failed.push({ employeeUuid: employee.uuid, error: (error as Error)?.message ?? String(error) });
          }
        }),
      ),
    );
    await this.recordRun(cmd, summary);
    this.logger.info('employees synced', {
      ...summary,
      blocked: summary.blocked.length,
      failed: summary.failed.length,
    });
    if (summary.failed.length > 0) {
      this.logger.warn('some employees could not be synced; the next poll retries them', {
        connectionId: cmd.connectionId,
        failed: summary.failed.slice(0, 10),
      });
    }
    return summary;
  }

  /** A log of runs, not a decision: appended with 'any', the run's correlation id (if any) ties it to its poll. */
  private async recordRun(cmd: SyncAllEmployeesCommand, summary: SyncAllSummary): Promise<void> {
    const event: EmployeesSynced = {
      type: 'EmployeesSynced',
      data: {
        connectionId: cmd.connectionId,
        trigger: cmd.trigger,
        total: summary.total,
        written: summary.written,
        blocked: summary.blocked.length,
        failed: summary.failed.map((f) => f.employeeUuid),
      },
    };
    const at = this.clock.now().toISOString();
    try {
      await this.store.append(
        employeeSyncRunStream(cmd.connectionId),
        [
          {
            ...event,
            metadata: {
              at,
              actor: cmd.requestedBy?.id ?? (cmd.trigger === 'manual' ? 'operator' : cmd.trigger),
              ...(cmd.requestedBy?.name ? { actorName: cmd.requestedBy.name } : {}),
              correlationId: cmd.correlationId,
              connectionId: cmd.connectionId,
            },
          },
        ],
        'any',
      );
    } catch (error) {
      // The employees are synced; only the run's note is missing. Not worth failing the poll over.
      this.logger.warn('could not record the employee sync run', {
        connectionId: cmd.connectionId,
        error: (error as Error)?.message,
      });
    }
  }
}

export const EMPLOYEE_MIRROR_COMMAND_HANDLERS = [SyncEmployeeHandler, SyncAllEmployeesHandler];
