/**
 * Where retired generations are dropped (see drop-generation.worker.ts): in a worker thread on the store's
 * file when the worker is compiled (`dist`) and the file is the log's (join mode, as for the bulk build);
 * otherwise the store drops them on the calling thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESS_WRITE_TURN } from '../event-store/sqlite/write-turn';
import type { DropWorkerInput } from './drop-generation.worker';
import { startWorkerTask } from './worker-task';

export const DROP_WORKER_SCRIPT = join(__dirname, 'drop-generation.worker.js');
/** The drop's mark at the process's write turn (a bulk build's parts are 0 and 1). */
const TURN_INDEX = 2;

/** Starts dropping these generations; resolves when they are gone (rejects when the worker failed). */
export type RetiredDrop = (generations: string[]) => Promise<void>;

export function retiredDropInWorker(file: string, script: string = DROP_WORKER_SCRIPT): RetiredDrop | undefined {
  if (!existsSync(script)) return undefined;
  return async (generations) => {
    const workerData: DropWorkerInput = { file, generations, turn: PROCESS_WRITE_TURN, index: TURN_INDEX };
    // Unref'd: a shutdown does not wait for it (a drop cut short is rolled back, and retried at the next start).
    const task = startWorkerTask<undefined>(script, workerData, `dropping ${generations.join(', ')}`, {
      part: TURN_INDEX,
      unref: true,
    });
    await task.result;
  };
}
