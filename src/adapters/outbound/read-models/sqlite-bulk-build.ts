/**
 * The embedded store's bulk build (see BulkBuild in the read-model port): a cold build or a rebuild far
 * behind the head runs in two worker threads, one per part (`postings`: posting rows and counts;
 * `audit`: the audit index, stream owners and the whole log's index), each with its own connections to
 * the store's file. The parts read and fold side by side on both cores and take turns at the write lock
 * (short transactions, after any main-thread writer: event-store/sqlite/write-turn.ts); the main thread
 * only waits for them, so it keeps serving HTTP (/health) meanwhile.
 *
 * Offered only where the log is in the read model's file (join mode) and the worker script is compiled
 * (`dist`; under the TypeScript sources, e.g. ts-jest, the build stays on the main thread as before).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESS_WRITE_TURN } from '../event-store/sqlite/write-turn';
import { startWorkerTask } from './worker-task';
import type { BuildPart, BulkBuild } from '../../../application/payroll-posting/projections/read-model-store.port';

/** Fewer events than this behind: not worth starting two threads (each loads its modules first). */
export const BULK_MIN_EVENTS = 50_000;

export const BULK_WORKER_SCRIPT = join(__dirname, 'bulk-build.worker.js');

/** What a part's worker is given (bigints as strings); it answers the events it read. */
export interface BulkWorkerInput {
  file: string;
  generation: string;
  part: BuildPart;
  /** The part's number (its mark on the write turn). */
  index: number;
  from: string | null;
  upTo: string;
  /** The process's write turn (event-store/sqlite/write-turn.ts), shared with the main thread's writers. */
  turn: SharedArrayBuffer;
}

export interface BulkBuildOptions {
  /** The store's file (the log and the read model). */
  file: string;
  /** Default BULK_MIN_EVENTS. */
  minEvents?: number;
  /** The compiled worker; default BULK_WORKER_SCRIPT (none: no bulk build). */
  script?: string;
}

const PARTS: BuildPart[] = ['postings', 'audit'];
const YOUNG_MB = 64;

export function sqliteBulkBuild(options: BulkBuildOptions): BulkBuild | undefined {
  const script = options.script ?? BULK_WORKER_SCRIPT;
  if (!existsSync(script)) return undefined;
  const min = BigInt(options.minEvents ?? BULK_MIN_EVENTS);
  return async (generation, from, upTo, signal) => {
    if (upTo - (from ?? 0n) < min || signal.aborted) return undefined;
    const parts = PARTS.map((part, index) => {
      const workerData: BulkWorkerInput = {
        file: options.file,
        generation,
        part,
        index,
        from: from === undefined ? null : String(from),
        upTo: String(upTo),
        turn: PROCESS_WRITE_TURN,
      };
      // A young generation larger than the default: a part allocates a page of events at a time and keeps
      // little, so fewer scavenges (measured: GC was a fifth of the postings part's time).
      return startWorkerTask<number>(script, workerData, `bulk build (${part})`, {
        part: index,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
      });
    });
    const stopAll = (): void => parts.forEach((p) => p.terminate());
    signal.addEventListener('abort', stopAll, { once: true });
    try {
      const read = await Promise.all(parts.map((p) => p.result));
      // The audit part reads every event; the postings part only its streams' share.
      return Math.max(...read);
    } catch (error) {
      stopAll();
      if (signal.aborted) return undefined;
      throw error;
    } finally {
      signal.removeEventListener('abort', stopAll);
      // Each frees its mark at the write turn as it exits.
      await Promise.all(parts.map((p) => p.ended));
    }
  };
}
