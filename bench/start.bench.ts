/**
 * Cold start: `node dist/src/main.js` spawned with a fresh SQLite folder until GET /health answers 200
 * (median of RUNS). Idle RSS: the process's resident set IDLE_MS after that first 200, with nothing to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { removeDir, round2, serviceEnv, sleep, tempDir } from './support/harness';
import { freePort, rssMb } from './support/process';

const RUNS = 3;
const IDLE_MS = 3_000;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Finds dist/src/main.js from dist/bench (compiled) or bench (ts). */
export function mainJs(): string {
  for (const candidate of [
    resolve(__dirname, '../src/main.js'),
    resolve(__dirname, '../dist/src/main.js'),
    resolve(__dirname, '../../dist/src/main.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('dist/src/main.js not found (npm run build)');
}

export async function benchStart(notes: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { cold_ms: null, idle_rss_mb: null, runs_ms: [] as number[] };
  try {
    const main = mainJs();
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = tempDir('mlc-start-');
      const port = await freePort();
      const env = {
        ...process.env,
        ...serviceEnv(dir, 'http://127.0.0.1:9', { PORT: String(port), LOG_LEVEL: 'warn' }),
      };
      const output: string[] = [];
      const t0 = performance.now();
      const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
      try {
        let ready: number | undefined;
        while (performance.now() - t0 < 30_000 && child.exitCode === null) {
          const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) }).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) {
            ready = performance.now() - t0;
            break;
          }
          await sleep(5);
        }
        if (ready === undefined)
          throw new Error(`no /health 200 within 30 s (exit ${child.exitCode}): ${output.join('').slice(-500)}`);
        runs.push(round2(ready));
        if (i === RUNS - 1) {
          await sleep(IDLE_MS);
          out.idle_rss_mb = rssMb(child.pid!);
          if (out.idle_rss_mb === null) notes.push('start: /proc/<pid>/status unreadable; idle RSS not measured');
        }
      } finally {
        await stop(child);
        removeDir(dir);
      }
    }
    out.runs_ms = runs;
    out.cold_ms = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? null;
  } catch (error) {
    notes.push(`start failed: ${(error as Error).message}`);
  }
  return out;
}
