import { Module } from '@nestjs/common';
import { TieOutQuery } from '../application/tie-out/tie-out.query';
import { TieOutController } from '../adapters/inbound/http/tie-out/tie-out.controller';

/**
 * The month-end tie-out report (issue 14). EVENT_STORE and CLOCK come from the core module; CONNECTIONS and
 * ACUMATICA_BATCHES (the Acumatica client's read-back) from the connections module.
 */
@Module({
  controllers: [TieOutController],
  providers: [TieOutQuery],
})
export class TieOutModule {}
