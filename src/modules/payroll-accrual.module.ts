import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ACCRUAL_SETTINGS, AccrualProcess, type AccrualSettings } from '../application/payroll-accrual/accrual-process';
import { AccrualReplay } from '../application/payroll-accrual/accrual-replay';
import { AccrualsController } from '../adapters/inbound/http/postings/accruals.controller';

/**
 * Month-end accrual (issue 14): its own process following PayrollPosted in the log. EVENT_STORE, CLOCK and
 * APP_CONFIG come from the core module; ACUMATICA and CONNECTIONS from the connections module.
 */
@Module({
  controllers: [AccrualsController],
  providers: [
    AccrualReplay,
    {
      provide: ACCRUAL_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): AccrualSettings => ({
        retry: config.retry,
        queueLimitMs: config.acumaticaQueueLimitS * 1000,
      }),
    },
    AccrualProcess,
  ],
  exports: [AccrualProcess],
})
export class PayrollAccrualModule {}
