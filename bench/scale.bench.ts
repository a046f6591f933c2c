/**
 * Scale (issue #12): many companies on one service, with the sandboxes in their own OS process so the
 * figures are the service's own cost.
 *
 *  - `MLC_BENCH_SCALE_COMPANIES` (default 10,000) companies are connected through the real API (OAuth with
 *    the Gusto sandbox, Acumatica OAuth, PUT mapping), `MLC_BENCH_SCALE_CONNECT_PARALLEL` at a time.
 *  - Phase `one_instance`: one service process; each company's payroll is processed in the Gusto sandbox
 *    (without its own webhook) and the bench sends the signed `payroll.processed` itself at a time drawn
 *    from a simulated payday compressed into companies ÷ `MLC_BENCH_SCALE_RATE` seconds (mean webhooks/s;
 *    a triangular day: ramp to a peak at 30 % of the window, then a long tail; the peak offers 2× the mean).
 *  - Phase `two_instances`: a second service process joins on the same SQLite file; each company runs its
 *    next payroll, webhooks alternate between the two instances.
 * Latency: the bench's send time of the webhook → `PayrollPosted` stored (its recorded_at, read from the
 * store file after the phase); `service_p50/p99_ms`: from the webhook's arrival (`GustoWebhookReceived`
 * recorded_at) instead. `postings_per_s`: postings ÷ (last posted − first sent).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { connectExisting, percentile, removeDir, round2, sleep, tempDir } from './support/harness';
import { rssMb } from './support/process';
import { startSandboxProcess, type SandboxProcess } from './support/sandbox-process';
import { launch, stop, until, type Running } from './support/service-process';
import { sendWebhook, webhookBody } from './support/webhooks';

const COMPANIES = Number(process.env.MLC_BENCH_SCALE_COMPANIES ?? 10_000);
const RATE = Number(process.env.MLC_BENCH_SCALE_RATE ?? 40);
const CONNECT_PARALLEL = Number(process.env.MLC_BENCH_SCALE_CONNECT_PARALLEL ?? 8);
const EMPLOYEES = Number(process.env.MLC_BENCH_SCALE_EMPLOYEES ?? 5);
/** A phase gives up waiting for its postings this long after its last webhook. */
const DRAIN_LIMIT_MS = Number(process.env.MLC_BENCH_SCALE_DRAIN_S ?? 600) * 1000;

interface Connected {
  connectionId: string;
  companyUuid: string;
}

/** Runs `work` over `items`, `parallel` at a time, in order of start. */
async function pool<T, R>(items: T[], parallel: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!, i);
      }
    }),
  );
  return out;
}

/** A seeded generator (mulberry32): the same payday every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` send offsets (ms, sorted) over `windowMs`: triangular, peak at 30 % of the window. */
export function payday(n: number, windowMs: number, seed = 12): number[] {
  const next = random(seed);
  const mode = 0.3;
  const offsets = Array.from({ length: n }, () => {
    const u = next();
    const x = u < mode ? Math.sqrt(u * mode) : 1 - Math.sqrt((1 - u) * (1 - mode));
    return x * windowMs;
  });
  return offsets.sort((a, b) => a - b);
}

/** Posted count and (after the phase) the times the store recorded, read from the file by this process. */
class StoreReader {
  private readonly db: Database.Database;
  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }
  postedAfter(position: number): number {
    return (
      this.db
        .prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'PayrollPosted' AND position > ?")
        .get(position) as { n: number }
    ).n;
  }
  head(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  }
  /** payroll uuid → ms since the epoch of its PayrollPosted, and of the webhook's arrival. */
  times(after: number): { posted: Map<string, number>; received: Map<string, number> } {
    const posted = new Map<string, number>();
    for (const r of this.db
      .prepare("SELECT stream, recorded_at FROM events WHERE type = 'PayrollPosted' AND position > ?")
      .iterate(after) as Iterable<{ stream: string; recorded_at: string }>) {
      posted.set(r.stream.slice(-36), Date.parse(r.recorded_at));
    }
    const received = new Map<string, number>();
    for (const r of this.db
      .prepare("SELECT data, recorded_at FROM events WHERE type = 'GustoWebhookReceived' AND position > ?")
      .iterate(after) as Iterable<{ data: string; recorded_at: string }>) {
      const data = JSON.parse(r.data) as { entityUuid?: string };
      if (data.entityUuid && !received.has(data.entityUuid)) received.set(data.entityUuid, Date.parse(r.recorded_at));
    }
    return { posted, received };
  }
  close(): void {
    this.db.close();
  }
}

async function phase(
  name: string,
  instances: Running[],
  sb: SandboxProcess,
  companies: Connected[],
  store: StoreReader,
  notes: string[],
): Promise<Record<string, unknown>> {
  process.stderr.write(`bench: scale ${name}: ${companies.length} payrolls …\n`);
  // Each company's payroll, processed without Gusto's own webhook (the bench sends it on the payday's schedule).
  const payrolls = await pool(
    companies,
    16,
    async (c) =>
      (
        await sb.call<{ uuid: string }>(sb.gustoUrl, 'POST', `/sandbox/companies/${c.companyUuid}/payrolls`, {
          employees: EMPLOYEES,
          webhook: false,
        })
      ).uuid,
  );
  const windowMs = (companies.length / RATE) * 1000;
  const offsets = payday(companies.length, windowMs, name.length);
  // Company i gets the i-th slot of a shuffled order, so slots do not follow connection order.
  const order = companies.map((_, i) => i);
  const shuffle = random(7);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const before = store.head();
  const sent = new Map<string, number>();
  const refused: number[] = [];
  const inflight: Array<Promise<void>> = [];
  const t0 = performance.now();
  const epoch0 = Date.now();
  let lagWorst = 0;
  for (let k = 0; k < offsets.length; k++) {
    const due = offsets[k]!;
    const wait = due - (performance.now() - t0);
    if (wait > 1) await sleep(wait);
    lagWorst = Math.max(lagWorst, performance.now() - t0 - due);
    const i = order[k]!;
    const company = companies[i]!;
    const payrollUuid = payrolls[i]!;
    const target = instances[k % instances.length]!;
    sent.set(payrollUuid, epoch0 + (performance.now() - t0));
    inflight.push(
      sendWebhook(target.url, webhookBody(company.companyUuid, payrollUuid)).then(
        (s) => void (s !== 200 && refused.push(s)),
        () => void refused.push(0),
      ),
    );
  }
  await Promise.all(inflight);
  const sentAll = performance.now();
  let posted = 0;
  const rss: Record<string, number | null> = {};
  while (performance.now() - sentAll < DRAIN_LIMIT_MS) {
    posted = store.postedAfter(before);
    if (posted >= companies.length) break;
    await sleep(250);
  }
  instances.forEach((r, n) => (rss[`instance_${n + 1}`] = rssMb(r.child.pid!)));
  if (posted < companies.length)
    notes.push(
      `scale ${name}: ${posted} of ${companies.length} posted within ${DRAIN_LIMIT_MS / 1000} s of the last webhook`,
    );
  const { posted: postedAt, received } = store.times(before);
  const latencies: number[] = [];
  const service: number[] = [];
  let last = 0;
  for (const [payroll, at] of postedAt) {
    const s = sent.get(payroll);
    if (s === undefined) continue;
    latencies.push(at - s);
    const r = received.get(payroll);
    if (r !== undefined) service.push(at - r);
    last = Math.max(last, at);
  }
  latencies.sort((a, b) => a - b);
  service.sort((a, b) => a - b);
  const p = (xs: number[], q: number): number | null => {
    const v = percentile(xs, q);
    return v === null ? null : round2(v);
  };
  const seconds = (last - epoch0) / 1000;
  return {
    instances: instances.length,
    companies: companies.length,
    postings: latencies.length,
    window_s: round2(windowMs / 1000),
    offered_mean_per_s: RATE,
    offered_peak_per_s: round2((2 * companies.length) / (windowMs / 1000)),
    webhooks_refused: refused.length,
    sender_lag_worst_ms: round2(lagWorst),
    p50_ms: p(latencies, 50),
    p95_ms: p(latencies, 95),
    p99_ms: p(latencies, 99),
    max_ms: latencies.length ? round2(latencies[latencies.length - 1]!) : null,
    service_p50_ms: p(service, 50),
    service_p99_ms: p(service, 99),
    postings_per_s: seconds > 0 ? round2(latencies.length / seconds) : null,
    duration_s: round2(seconds),
    rss_mb: rss,
  };
}

export async function benchScale(notes: string[]): Promise<Record<string, unknown>> {
  const dir = tempDir('mlc-scale-');
  const sb = await startSandboxProcess();
  const instances: Running[] = [];
  const out: Record<string, unknown> = {
    companies: COMPANIES,
    employees_per_payroll: EMPLOYEES,
    offered_mean_per_s: RATE,
    load_avg_before: loadavg().map(round2),
  };
  let store: StoreReader | undefined;
  try {
    const env = { RETRY_BASE_MS: '200', RETRY_CAP_MS: '5000' };
    instances.push(await launch(dir, sb.gustoUrl, env));
    await until(instances[0]!, '/health/ready', 60_000);

    const t0 = performance.now();
    const indexes = Array.from({ length: COMPANIES }, (_, i) => i);
    const companies = await pool(indexes, CONNECT_PARALLEL, async (i) => {
      const { uuid } = await sb.call<{ uuid: string }>(sb.gustoUrl, 'POST', '/sandbox/companies', {
        name: `Scale Co ${i + 1}`,
      });
      if ((i + 1) % 500 === 0) process.stderr.write(`bench: scale: ${i + 1} companies connected\n`);
      return connectExisting(instances[0]!, sb.acumaticaUrl, uuid, `Scale Co ${i + 1}`);
    });
    out.connect_s = round2((performance.now() - t0) / 1000);
    out.connect_per_s = round2(COMPANIES / ((performance.now() - t0) / 1000));
    store = new StoreReader(join(dir, 'ml-connector.db'));

    out.one_instance = await phase('one_instance', instances, sb, companies, store, notes);
    instances.push(await launch(dir, sb.gustoUrl, env));
    await until(instances[1]!, '/health/ready', 120_000);
    out.two_instances = await phase('two_instances', instances, sb, companies, store, notes);
    out.load_avg_after = loadavg().map(round2);
  } finally {
    store?.close();
    for (const run of instances) await stop(run);
    await sb.close();
    removeDir(dir);
  }
  return out;
}
