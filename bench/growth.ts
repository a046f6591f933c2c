/**
 * Growth (issue #12): does a start, a read or a rebuild cost more as the history grows? For each size,
 * a realistic history (bench/support/history.ts: 8 events, ~10 KB per posting) is written straight into
 * a SQLite file, then `node dist/src/main.js` is spawned on it:
 *  - cold: the first start on that file (no read model yet): ms to /health 200 and to /health/ready 200;
 *  - at rest: RSS, `GET /api/postings` first page and an audit page of a connection with no events
 *    (median of 7, each minus the same on an empty store), /health's worst latency during the cold build;
 *  - rebuild: `POST /api/projections/rebuild`, log events ÷ seconds, /health polled every 50 ms meanwhile;
 *  - restart: SIGTERM, start again: ms to /health 200 and to /health/ready 200 (from the checkpoint), RSS,
 *    then the first webhook → posted of a company connected before the restart (sandboxes in their own
 *    process), minus the same on an empty store;
 *  - `log_audit_ms`: `GET /api/audit/events` without a connection, a time filter matching nothing.
 * `empty`: the same start and reads on an empty store (what the process costs with no history at all).
 * Sizes: MLC_BENCH_GROWTH_SIZES (default 10000,100000; add 1000000 when there is time and ~15 GB of disk);
 * MLC_BENCH_GROWTH_REBUILD_MAX skips the rebuild above that size. MLC_BENCH_GROWTH_CACHE (a folder): each
 * size's generated history is kept there as `history-<size>.db` and copied from it on the next run (the 1M
 * history takes ~11 minutes to write; a copy of its 12 GB about one); the copy is what the run starts on.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeHistory } from './support/history';
import { ADMIN_TOKEN, connectExisting, removeDir, round2, sleep, tempDir, type Company } from './support/harness';
import { rssMb } from './support/process';
import { startSandboxProcess, type SandboxProcess } from './support/sandbox-process';
import { launch, status, stop, until, type Running } from './support/service-process';
import { sendWebhook, webhookBody } from './support/webhooks';

/** Sizes above this skip the rebuild measurement (it is linear; at 1M it takes tens of minutes here). */
const REBUILD_MAX = Number(process.env.MLC_BENCH_GROWTH_REBUILD_MAX ?? Number.MAX_SAFE_INTEGER);
const CACHE = process.env.MLC_BENCH_GROWTH_CACHE;

/** Writes the history of `postings` into `file`, or copies it from the cache (kept there after a first write). */
function history(file: string, postings: number): { events: number; copied: boolean } {
  if (!CACHE) return { events: writeHistory(file, { postings }), copied: false };
  const cached = join(CACHE, `history-${postings}.db`);
  const events = join(CACHE, `history-${postings}.events`);
  if (!existsSync(cached)) {
    const partial = `${cached}.partial`;
    const count = writeHistory(partial, { postings });
    // A checkpointed WAL: the .db file alone holds everything, so a plain copy of it is a whole store.
    const db = new Database(partial);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    writeFileSync(events, String(count));
    renameSync(partial, cached);
  }
  copyFileSync(cached, file);
  return { events: Number(readFileSync(events, 'utf8')), copied: true };
}
const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const NO_EVENTS_CONNECTION = '00000000-0000-4000-8000-000000000000';

/** Worst /health latency while `work` runs (polled every 50 ms), when it began, and how many polls failed. */
async function healthDuring<T>(
  url: string,
  work: Promise<T>,
): Promise<{ result: T; worst_ms: number; worst_at_s: number; failed: number; polls: number }> {
  let done = false;
  let worst = 0;
  let worstAt = 0;
  const started = performance.now();
  let failed = 0;
  let polls = 0;
  const poller = (async () => {
    while (!done) {
      const t0 = performance.now();
      const code = await status(url, '/health', 10_000);
      const took = performance.now() - t0;
      if (took > worst) [worst, worstAt] = [took, (t0 - started) / 1000];
      polls += 1;
      if (code !== 200) failed += 1;
      await sleep(50);
    }
  })();
  try {
    const result = await work;
    return { result, worst_ms: round2(worst), worst_at_s: round2(worstAt), failed, polls };
  } finally {
    done = true;
    await poller;
  }
}

async function medianMs(url: string, path: string, runs = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { headers: AUTH });
    await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return round2(times[Math.floor(times.length / 2)]!);
}

interface Reads {
  first_page_ms: number;
  empty_audit_ms: number;
  log_audit_ms: number;
}

async function reads(url: string): Promise<Reads> {
  return {
    first_page_ms: await medianMs(url, '/api/postings'),
    empty_audit_ms: await medianMs(url, `/api/audit/events?connectionId=${NO_EVENTS_CONNECTION}`),
    // Without a connection, a time filter that matches nothing (the old log scan's worst case).
    log_audit_ms: await medianMs(url, '/api/audit/events?from=2999-01-01T00:00:00Z'),
  };
}

/** A company connected through the API (to the service on `run`), for the first-webhook measure. */
async function connectOne(run: Running, sb: SandboxProcess): Promise<Company> {
  const { uuid } = await sb.call<{ uuid: string }>(sb.gustoUrl, 'POST', '/sandbox/companies', { name: 'Growth Co' });
  return connectExisting(run, sb.acumaticaUrl, uuid, 'Growth Co');
}

/** ms from sending a payroll's signed webhook until its posting reads `posted` (the first after a start). */
async function firstWebhookMs(run: Running, sb: SandboxProcess, company: Company): Promise<number> {
  const payroll = await sb.call<{ uuid: string }>(
    sb.gustoUrl,
    'POST',
    `/sandbox/companies/${company.companyUuid}/payrolls`,
    { employees: 5, webhook: false },
  );
  const id = encodeURIComponent(`${company.connectionId}:${payroll.uuid}`);
  const t0 = performance.now();
  const status = await sendWebhook(run.url, webhookBody(company.companyUuid, payroll.uuid));
  if (status !== 200) throw new Error(`webhook answered ${status}`);
  while (performance.now() - t0 < 30_000) {
    const res = await fetch(`${run.url}/api/postings/${id}`, { headers: AUTH });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    if (res.status === 200 && body?.status === 'posted') return round2(performance.now() - t0);
    await sleep(2);
  }
  throw new Error('first webhook: not posted within 30 s');
}

async function one(
  postings: number,
  baseline: Reads & { first_webhook_ms: number | null },
  sb: SandboxProcess,
  notes: string[],
): Promise<Record<string, unknown>> {
  const dir = tempDir('mlc-growth-');
  const file = join(dir, 'ml-connector.db');
  const out: Record<string, unknown> = { postings };
  try {
    const t0 = performance.now();
    const written = history(file, postings);
    out.events = written.events;
    if (written.copied) out.history_copied_from_cache = true;
    out.generate_s = round2((performance.now() - t0) / 1000);
    out.file_mb = round2(statSync(file).size / 2 ** 20);
    const limit = Math.max(60_000, postings * 8); // ~8 ms per posting: far beyond any target

    // Cold: the first start on this file builds the read model.
    let run = await launch(dir, sb.gustoUrl);
    let company: Company | undefined;
    try {
      out.cold_health_ms = await until(run, '/health', limit);
      const cold = await healthDuring(run.url, until(run, '/health/ready', limit));
      out.cold_ready_ms = cold.result;
      out.cold_build_events_per_s = Math.round(
        (out.events as number) / ((cold.result - (out.cold_health_ms as number)) / 1000 || 1),
      );
      out.health_during_cold_build = {
        worst_ms: cold.worst_ms,
        worst_at_s: cold.worst_at_s,
        failed: cold.failed,
        polls: cold.polls,
      };
      await sleep(3_000);
      out.rss_at_rest_after_cold_mb = rssMb(run.child.pid!);
      const r = await reads(run.url);
      out.first_page_ms = r.first_page_ms;
      out.empty_audit_ms = r.empty_audit_ms;
      out.log_audit_ms = r.log_audit_ms;
      out.first_page_over_empty_ms = round2(r.first_page_ms - baseline.first_page_ms);
      out.empty_audit_over_empty_ms = round2(r.empty_audit_ms - baseline.empty_audit_ms);
      out.log_audit_over_empty_ms = round2(r.log_audit_ms - baseline.log_audit_ms);
      company = await connectOne(run, sb);

      if (postings > REBUILD_MAX) {
        out.rebuild_s = null;
        out.rebuild_events_per_s = null;
        notes.push(`growth ${postings}: rebuild not measured (MLC_BENCH_GROWTH_REBUILD_MAX=${REBUILD_MAX})`);
      } else {
        const started = performance.now();
        const rebuild = await healthDuring(
          run.url,
          fetch(`${run.url}/api/projections/rebuild`, {
            method: 'POST',
            headers: AUTH,
            signal: AbortSignal.timeout(limit),
          }).then((res) => res.json()),
        );
        const seconds = (performance.now() - started) / 1000;
        out.rebuild_s = round2(seconds);
        out.rebuild_events_per_s = Math.round((out.events as number) / seconds);
        out.health_during_rebuild = {
          worst_ms: rebuild.worst_ms,
          worst_at_s: rebuild.worst_at_s,
          failed: rebuild.failed,
          polls: rebuild.polls,
        };
      }
    } finally {
      await stop(run);
    }

    // Restart: from the checkpoint.
    run = await launch(dir, sb.gustoUrl);
    try {
      out.restart_health_ms = await until(run, '/health', limit);
      out.restart_ready_ms = await until(run, '/health/ready', limit);
      await sleep(3_000);
      out.rss_at_rest_mb = rssMb(run.child.pid!);
      const r = await reads(run.url);
      out.restart_first_page_ms = r.first_page_ms;
      out.restart_empty_audit_ms = r.empty_audit_ms;
      out.restart_log_audit_ms = r.log_audit_ms;
      out.first_webhook_ms = company ? await firstWebhookMs(run, sb, company) : null;
      out.first_webhook_over_empty_ms =
        typeof out.first_webhook_ms === 'number' && baseline.first_webhook_ms !== null
          ? round2(out.first_webhook_ms - baseline.first_webhook_ms)
          : null;
    } finally {
      await stop(run);
    }
  } catch (error) {
    notes.push(`growth ${postings}: ${(error as Error).message}`);
  } finally {
    removeDir(dir);
  }
  return out;
}

export async function benchGrowth(notes: string[]): Promise<Record<string, unknown>> {
  const sizes = (process.env.MLC_BENCH_GROWTH_SIZES ?? '10000,100000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  const out: Record<string, unknown> = { sizes: {} as Record<string, unknown> };
  // The sandboxes (own process): a connected company's first webhook after a start, on each store.
  const sb = await startSandboxProcess();
  try {
    // The same reads on an empty store: the baseline the targets are "more than".
    const dir = tempDir('mlc-growth-empty-');
    let run = await launch(dir, sb.gustoUrl);
    try {
      const health_ms = await until(run, '/health', 60_000);
      const ready_ms = await until(run, '/health/ready', 60_000);
      const company = await connectOne(run, sb);
      const empty: Record<string, unknown> = { health_ms, ready_ms, ...(await reads(run.url)) };
      await stop(run);
      run = await launch(dir, sb.gustoUrl);
      await until(run, '/health/ready', 60_000);
      empty.first_webhook_ms = await firstWebhookMs(run, sb, company);
      out.empty = empty;
    } finally {
      await stop(run);
      removeDir(dir);
    }
    for (const size of sizes) {
      process.stderr.write(`bench: growth ${size} postings …\n`);
      (out.sizes as Record<string, unknown>)[String(size)] = await one(
        size,
        out.empty as Reads & { first_webhook_ms: number | null },
        sb,
        notes,
      );
    }
  } finally {
    await sb.close();
  }
  return out;
}
