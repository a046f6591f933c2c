import { Module } from '@nestjs/common';
import { LOGGER, type JsonLogger } from '../adapters/logging/json-logger';
import { EmployeesController } from '../adapters/inbound/http/employees/employees.controller';
import { EMPLOYEE_MIRROR_COMMAND_HANDLERS } from '../application/employee-mirror/command-handlers';
import { EmployeeListQuery } from '../application/employee-mirror/employee-list.query';
import { EmployeeSync } from '../application/employee-mirror/employee-sync';
import { EMPLOYEE_MIRROR_LOGGER, type MirrorLogger } from '../application/employee-mirror/mirror-logger';

/**
 * The employee mirror: Gusto hires, changes, terminations and rehires kept in Acumatica's Employee records.
 * EVENT_STORE, CLOCK and LOGGER come from the global CoreModule; GUSTO, ACUMATICA and CONNECTIONS from the
 * global ConnectionsModule. The webhook ingress and the poll reach it through the CommandBus
 * (SyncEmployeeCommand, SyncAllEmployeesCommand).
 */
@Module({
  controllers: [EmployeesController],
  providers: [
    {
      provide: EMPLOYEE_MIRROR_LOGGER,
      inject: [LOGGER],
      useFactory: (logger: JsonLogger): MirrorLogger => ({
        info: (msg, fields) => logger.write('info', msg, fields, 'EmployeeMirror'),
        warn: (msg, fields) => logger.write('warn', msg, fields, 'EmployeeMirror'),
        error: (msg, fields) => logger.write('error', msg, fields, 'EmployeeMirror'),
      }),
    },
    EmployeeSync,
    EmployeeListQuery,
    ...EMPLOYEE_MIRROR_COMMAND_HANDLERS,
  ],
  exports: [EmployeeSync, EmployeeListQuery],
})
export class EmployeeMirrorModule {}
