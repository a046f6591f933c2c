import { Injectable } from '@nestjs/common';
import type { RebuildReport } from './postings-projection';

/** A read model that can be rebuilt from the log (POST /api/projections/rebuild). */
export interface RebuildableReadModel {
  readonly name: string;
  rebuild(): Promise<RebuildReport>;
}

/**
 * Every read model registers here at start, so one endpoint rebuilds them all. Other capabilities
 * (e.g. the employee mirror) inject this class and call `register` in their onModuleInit.
 */
@Injectable()
export class ReadModelRegistry {
  private readonly models = new Map<string, RebuildableReadModel>();

  register(model: RebuildableReadModel): void {
    this.models.set(model.name, model);
  }

  async rebuildAll(): Promise<RebuildReport[]> {
    const reports: RebuildReport[] = [];
    for (const model of this.models.values()) reports.push(await model.rebuild());
    return reports;
  }
}
