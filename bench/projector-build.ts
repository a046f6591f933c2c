/**
 * The read model's build alone, in this process (no HTTP, no sandboxes): writes a history of N postings
 * (bench/support/history.ts) into a fresh embedded store, then folds the whole log into a new generation
 * on the same file, as a start or `POST /api/projections/rebuild` does. Prints JSON: events, wall seconds,
 * CPU seconds of this process, events/s and events per CPU-second (the honest figure on a shared box).
 *
 * The build in parallel parts (worker threads, as a cold start or a rebuild far behind does), or with
 * `--in-thread` on this thread alone (as a short catch-up, or a store without the bulk build). Into a new
 * generation, as a rebuild (its postings indexes built after the load), or with `--cold` into the current
 * one, as a first start over an existing log.
 *
 * `node dist/bench/projector-build.js [postings=20000] [--in-thread] [--cold]`; profile with `node --cpu-prof …`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { SqliteEventStore } from '../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../src/adapters/outbound/read-models/sqlite-read-model-store';
import { GenerationProjector } from '../src/application/payroll-posting/projections/generation-projector';
import { writeHistory } from './support/history';
import { removeDir, round2, tempDir } from './support/harness';

/**
 * CPU seconds per thread of this process (Linux: /proc/self/task) spent while `work` runs, sampled so
 * threads that end before it (the bulk build's workers) are counted too. The largest is the build's critical
 * path: on an otherwise idle box, the wall time it would take with its threads on their own cores.
 */
async function threadCpu<T>(work: Promise<T>): Promise<{ result: T; threads_cpu_s: number[] }> {
  const seen = new Map<string, number>();
  const tick = Number(process.env.CLK_TCK ?? 100);
  const sample = (): void => {
    let tasks: string[];
    try {
      tasks = readdirSync('/proc/self/task');
    } catch {
      return;
    }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(tid, (Number(fields[11]) + Number(fields[12])) / tick);
      } catch {
        /* the thread ended between the listing and the read */
      }
    }
  };
  sample();
  const before = new Map(seen);
  const timer = setInterval(sample, 50);
  try {
    const result = await work;
    sample();
    return {
      result,
      threads_cpu_s: [...seen.entries()]
        .map(([tid, cpu]) => cpu - (before.get(tid) ?? 0))
        .sort((a, b) => b - a)
        .slice(0, 3)
        .map(round2),
    };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const postings = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20_000);
  const inThread = process.argv.includes('--in-thread');
  const cold = process.argv.includes('--cold');
  const dir = tempDir('mlc-projector-');
  const file = join(dir, 'ml-connector.db');
  try {
    const events = writeHistory(file, { postings });
    const store = new SqliteEventStore(file);
    const readModels = new SqliteReadModelStore(file);
    const current = readModels.current();
    // A rebuild folds into a new generation while the current one serves; `--cold` into the current one.
    const generation = cold ? current : readModels.createGeneration();
    const projector = new GenerationProjector(store, generation, () => undefined, {
      bulkBuild: inThread ? undefined : readModels.bulkBuild,
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { threads_cpu_s } = await threadCpu(projector.start());
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    await projector.stop();
    readModels.close();
    await store.close();
    process.stdout.write(
      `${JSON.stringify({
        postings,
        events,
        mode: inThread || !readModels.bulkBuild ? 'in-thread' : 'workers',
        build: cold ? 'cold' : 'rebuild',
        wall_s: round2(wall),
        cpu_s: round2(cpu),
        events_per_s: Math.round(events / wall),
        events_per_cpu_s: Math.round(events / cpu),
        // The busiest threads' CPU seconds during the build: with workers, the parts (the largest is the
        // critical path, and events ÷ it the rate an idle two-core box would see); else the main thread.
        threads_cpu_s,
        events_per_critical_cpu_s: threads_cpu_s[0] ? Math.round(events / threads_cpu_s[0]) : null,
        load_avg: loadavg().map((x) => round2(x)),
      })}\n`,
    );
  } finally {
    removeDir(dir);
  }
}

void main();
