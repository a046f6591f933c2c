/**
 * One task in a worker thread that takes turns at the process's SQLite write lock (event-store/sqlite/
 * write-turn.ts) under its own mark: the bulk build's parts and the retired-generation drop. The parent
 * starts it and gets its answer (or why it failed); the worker answers once with `answerParent`.
 */
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';
import { PROCESS_WRITE_TURN, releaseEndedPart } from '../event-store/sqlite/write-turn';

type Answer<T> = { value: T } | { error: string };

export interface WorkerTask<T> {
  /** The worker's answer; rejects with `what` and the reason when it failed or ended without answering. */
  result: Promise<T>;
  /** Resolves when the thread has exited (its mark no longer holds the write turn by then). */
  ended: Promise<void>;
  terminate(): void;
}

/** Starts `script` with `workerData`; `part` is its mark at the write turn (freed if it ends holding it). */
export function startWorkerTask<T>(
  script: string,
  workerData: unknown,
  what: string,
  options: { part: number; resourceLimits?: ResourceLimits; unref?: boolean },
): WorkerTask<T> {
  const worker = new Worker(script, { workerData, resourceLimits: options.resourceLimits });
  if (options.unref) worker.unref();
  const ended = new Promise<void>((done) =>
    worker.once('exit', () => {
      // Ended inside a write (terminated, or failed there): the main thread's writers must not wait for it.
      releaseEndedPart(new Int32Array(PROCESS_WRITE_TURN), options.part);
      done();
    }),
  );
  const result = new Promise<T>((resolve, reject) => {
    worker.once('message', (answer: Answer<T>) =>
      'value' in answer ? resolve(answer.value) : reject(new Error(`${what}: ${answer.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${what}: the worker ended (${code})`)));
  });
  return { result, ended, terminate: () => void worker.terminate() };
}

/** In the worker: runs `work` and answers the parent once, with its value or why it failed. */
export function answerParent<T>(work: () => Promise<T> | T): void {
  const answer = (message: Answer<T>): void => parentPort?.postMessage(message);
  Promise.resolve()
    .then(work)
    .then(
      (value) => answer({ value }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
}
