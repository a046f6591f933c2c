/**
 * Where retired generations are dropped (see drop-generation.worker.ts): in a worker thread on the store's
 * file when the worker is compiled (`dist`) and the file is the log's (join mode, as for the bulk build);
 * otherwise the store drops them on the calling thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PROCESS_WRITE_TURN, releaseEndedPart } from '../event-store/sqlite/write-turn';
import type { DropWorkerInput } from './drop-generation.worker';

export const DROP_WORKER_SCRIPT = join(__dirname, 'drop-generation.worker.js');
/** The drop's mark at the process's write turn (a bulk build's parts are 0 and 1). */
const TURN_INDEX = 2;

/** Starts dropping these generations; resolves when they are gone (rejects when the worker failed). */
export type RetiredDrop = (generations: string[]) => Promise<void>;

export function retiredDropInWorker(file: string, script: string = DROP_WORKER_SCRIPT): RetiredDrop | undefined {
  if (!existsSync(script)) return undefined;
  return (generations) =>
    new Promise<void>((resolve, reject) => {
      const workerData: DropWorkerInput = { file, generations, turn: PROCESS_WRITE_TURN, index: TURN_INDEX };
      const worker = new Worker(script, { workerData });
      // A shutdown does not wait for it: a drop cut short is rolled back, and retried at the next start.
      worker.unref();
      let outcome: { dropped: true } | { error: string } | undefined;
      worker.once('message', (message: { dropped: true } | { error: string }) => (outcome = message));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        // Ended inside a write (it failed there): the main thread's writers must not wait for it.
        releaseEndedPart(new Int32Array(PROCESS_WRITE_TURN), TURN_INDEX);
        if (outcome && 'dropped' in outcome) resolve();
        else reject(new Error(`dropping ${generations.join(', ')}: ${outcome?.error ?? `the worker ended (${code})`}`));
      });
    });
}
