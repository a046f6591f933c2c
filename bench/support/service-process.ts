/**
 * The service as a child process (`node dist/src/main.js`) on a data folder: start, wait for a route,
 * stop with SIGTERM. Used by the growth and scale benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mainJs } from '../start.bench';
import { round2, serviceEnv, sleep, type Env } from './harness';
import { freePort } from './process';

export interface Running {
  child: ChildProcess;
  url: string;
  started: number;
  output: string[];
}

/** Starts the service on `dir`'s SQLite file; `gustoUrl` defaults to a closed port (no Gusto needed). */
export async function launch(dir: string, gustoUrl = 'http://127.0.0.1:9', extra: Env = {}): Promise<Running> {
  const port = await freePort();
  const env = { ...process.env, ...serviceEnv(dir, gustoUrl, { PORT: String(port), LOG_LEVEL: 'warn', ...extra }) };
  const output: string[] = [];
  const started = performance.now();
  // MLC_BENCH_SERVICE_NODE_ARGS: flags for the service's node (e.g. `--prof`, which NODE_OPTIONS refuses).
  const nodeArgs = (process.env.MLC_BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, mainJs()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (c: Buffer): void => {
    output.push(c.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, url: `http://127.0.0.1:${port}`, started, output };
}

export async function stop(run: Running): Promise<void> {
  const child = run.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export const status = (url: string, path: string, timeoutMs = 2_000): Promise<number> =>
  fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (r) => r.status,
    () => 0,
  );

/** ms from spawn until `path` answers 200, or throws after `limitMs`. */
export async function until(run: Running, path: string, limitMs: number): Promise<number> {
  while (performance.now() - run.started < limitMs) {
    if (run.child.exitCode !== null)
      throw new Error(`service exited (${run.child.exitCode}): ${run.output.join('').slice(-500)}`);
    if ((await status(run.url, path)) === 200) return round2(performance.now() - run.started);
    // Every 5 ms for the first 10 s, then every 100 ms (polling must not slow a long catch-up down).
    await sleep(performance.now() - run.started < 10_000 ? 5 : 100);
  }
  throw new Error(`${path}: no 200 within ${limitMs} ms`);
}
