import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/app-config';
import type { JsonLogger } from './adapters/logging/json-logger';
import { CoreModule, type CoreOverrides } from './core.module';
import { HealthController } from './adapters/inbound/http/health/health.controller';
import { ConnectionsModule } from './modules/connections.module';
import { MetricsModule } from './modules/metrics.module';
import { SchedulerModule } from './modules/scheduler.module';
import { WebhooksModule } from './modules/webhooks.module';
import { PayrollPostingModule } from './modules/payroll-posting.module';
import { EmployeeMirrorModule } from './modules/employee-mirror.module';
import { TieOutModule } from './modules/tie-out.module';
import { PayrollAccrualModule } from './modules/payroll-accrual.module';
import { ApiKeysModule } from './modules/api-keys.module';
import { ConsoleModule } from './modules/console.module';

/** The composition root: shared infrastructure plus one module per capability (src/modules). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: JsonLogger, overrides: CoreOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, logger, overrides),
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        // capability modules (src/modules/*.module.ts)
        ConnectionsModule,
        MetricsModule,
        WebhooksModule,
        SchedulerModule,
        PayrollPostingModule,
        EmployeeMirrorModule,
        TieOutModule,
        PayrollAccrualModule,
        ApiKeysModule,
        ConsoleModule,
      ],
      controllers: [HealthController],
    };
  }
}
