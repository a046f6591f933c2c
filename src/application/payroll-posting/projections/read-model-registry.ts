import { Injectable } from '@nestjs/common';
import type { RebuildReport } from './postings-projection';

/** Where a read model stands: `live` once it has applied everything recorded when it started. */
export interface ReadModelProgress {
  name: string;
  live: boolean;
  /** A rebuild is running in the background (the previous model still answers). */
  rebuilding: boolean;
  /** The last log position applied (null: nothing yet). */
  checkpoint: string | null;
  /** The stored generation this instance reads and writes (instances on one store follow a rebuild's). */
  generation?: string;
}

/** A read model that can be rebuilt from the log (POST /api/projections/rebuild) and reports its progress. */
export interface RebuildableReadModel {
  readonly name: string;
  rebuild(): Promise<RebuildReport>;
  progress?(): ReadModelProgress;
}

export interface Readiness {
  ready: boolean;
  head: string | null;
  readModels: Array<ReadModelProgress & { behind: string | null }>;
}

/**
 * Every read model registers here at start, so one endpoint rebuilds them all and /health/ready can say
 * which are still catching up. Other capabilities (e.g. the employee mirror) inject this class and call
 * `register` in their onModuleInit.
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

  /** `head`: the log's last position (read by the caller just before). */
  readiness(head: bigint | undefined): Readiness {
    const readModels = [...this.models.values()].map((model) => {
      const progress = model.progress?.() ?? { name: model.name, live: true, rebuilding: false, checkpoint: null };
      const behind = head === undefined ? 0n : progress.checkpoint === null ? head : head - BigInt(progress.checkpoint);
      return { ...progress, behind: progress.live ? '0' : String(behind < 0n ? 0n : behind) };
    });
    return { ready: readModels.every((m) => m.live), head: head === undefined ? null : String(head), readModels };
  }
}
