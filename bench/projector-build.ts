/**
 * The read model's build alone, in this process (no HTTP, no sandboxes): writes a history of N postings
 * (bench/support/history.ts) into a fresh embedded store, then folds the whole log into a new generation
 * on the same file, as a start or `POST /api/projections/rebuild` does. Prints JSON: events, wall seconds,
 * CPU seconds of this process, events/s and events per CPU-second (the honest figure on a shared box).
 *
 * `node dist/bench/projector-build.js [postings=20000]`; profile with `node --cpu-prof …`.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { SqliteEventStore } from '../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { SqliteReadModelStore } from '../src/adapters/outbound/read-models/sqlite-read-model-store';
import { GenerationProjector } from '../src/application/payroll-posting/projections/generation-projector';
import { writeHistory } from './support/history';
import { removeDir, round2, tempDir } from './support/harness';

async function main(): Promise<void> {
  const postings = Number(process.argv[2] ?? 20_000);
  const dir = tempDir('mlc-projector-');
  const file = join(dir, 'ml-connector.db');
  try {
    const events = writeHistory(file, { postings });
    const store = new SqliteEventStore(file);
    const readModels = new SqliteReadModelStore(file);
    const projector = new GenerationProjector(store, readModels.current(), () => undefined);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await projector.start();
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
        wall_s: round2(wall),
        cpu_s: round2(cpu),
        events_per_s: Math.round(events / wall),
        events_per_cpu_s: Math.round(events / cpu),
        load_avg: loadavg().map((x) => round2(x)),
      })}\n`,
    );
  } finally {
    removeDir(dir);
  }
}

void main();
