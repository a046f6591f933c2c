/**
 * Licence use: the Acumatica sandbox is given a licence of R requests per minute, and the service is
 * pushed more postings than that allows. Time is scaled: the Acumatica sandbox's clock runs `SPEED`× the
 * wall clock, so its one-minute licence window lasts 60/SPEED real seconds, and the documented queueing
 * delays (computed in sandbox ms) are slept in real ms × 1/SPEED. Over the first WINDOWS full windows
 * after the first API request: used_share = admitted /entity requests ÷ (R × windows); share_429 = the
 * Acumatica answers that were 429 ÷ every Acumatica request in those windows.
 *
 * The connections carry the licence (`acumatica.licence.requestsPerMinute = R`) and the services count the
 * licence's minute on the same scaled time (ACUMATICA_LICENCE_WINDOW_MS = 60 s / SPEED), so they pace
 * themselves. `two_instances_reject`: two services (in this process) on one SQLite file, both subscribed to
 * the webhooks, sharing the licence through the store; its windows start once the second instance has
 * joined (its join wait, then one window for the first instance's solo charges to lapse).
 */
import { licenceTiming } from '../src/domain/licence/licence-share';
import {
  connectCompanies,
  removeDir,
  round2,
  sleep,
  startInProcess,
  startSandboxes,
  tempDir,
  type InProcessService,
} from './support/harness';

const SPEED = 12;
const R = 60;
const WINDOWS = 3;
const COMPANIES = 20;
const EMPLOYEES = 10;

/**
 * `queue` is Acumatica's documented behaviour (the sandbox's default): over the limit, requests are
 * delayed, and 429 only comes when more than 20 already wait. `reject` answers 429 at once over the limit:
 * it shows whether the connector paces itself. The headline figures are from `queue`.
 */
export async function benchLicence(notes: string[]): Promise<Record<string, unknown>> {
  const queue = await licenceRun(notes, 'queue', 1);
  const reject = await licenceRun(notes, 'reject', 1);
  const twoInstances = await licenceRun(notes, 'reject', 2);
  return { ...queue, reject_mode: reject, two_instances_reject: twoInstances };
}

const WINDOW_MS = 60_000 / SPEED;

async function licenceRun(
  notes: string[],
  mode: 'queue' | 'reject',
  instances: 1 | 2,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    mode,
    instances,
    used_share: null,
    share_429: null,
    requests_per_minute: R,
    windows: WINDOWS,
    time_scale: SPEED,
    postings_pushed: null,
    admitted_per_window: null,
    journals_stored: null,
  };
  const wallStart = Date.now();
  const fast = { now: () => new Date(wallStart + (Date.now() - wallStart) * SPEED) };
  const sb = await startSandboxes({
    gusto: { seed: 11, rateLimit: { requests: 1_000_000_000, windowMs: 60_000 } },
    acumatica: { clock: fast },
  });
  const dataDir = tempDir();
  const services: InProcessService[] = [];
  try {
    // The product's back-off (RETRY_BASE_MS 2000, RETRY_CAP_MS 900000) and licence minute on the same scaled time as the licence.
    const env = {
      LOG_LEVEL: 'warn',
      RETRY_BASE_MS: String(Math.round(2000 / SPEED)),
      RETRY_CAP_MS: String(Math.round(900_000 / SPEED)),
      ACUMATICA_LICENCE_WINDOW_MS: String(WINDOW_MS),
    };
    for (let i = 0; i < instances; i++) services.push(await startInProcess(dataDir, sb.gusto.url, env));
    for (const svc of services) sb.gusto.scenario.createSubscription({ url: `${svc.url}/webhooks/gusto` });
    const companies = await connectCompanies(services[0], sb, COMPANIES, 'Licence Co', 10, undefined, {
      licence: { requestsPerMinute: R },
    });
    // The setup's requests (2 per company: the chart of accounts for the mapping) count against the licence
    // minute (the sandbox's and the service's): let them lapse, so the measured windows start on an idle licence.
    await sleep(WINDOW_MS + 500);
    // Capacity over the measured windows is R × WINDOWS requests, i.e. about R × WINDOWS / 2 postings at
    // 2 calls each: push twice that (more with two instances, whose windows start later), so there is a
    // backlog until the end.
    const skipWindows =
      instances === 2 ? Math.ceil((licenceTiming(WINDOW_MS).joinWaitMs + WINDOW_MS) / WINDOW_MS) + 1 : 0;
    const push = Math.ceil((R * (WINDOWS + skipWindows)) / COMPANIES);
    sb.acumatica.knobs.licence.requestsPerMinute = R;
    sb.acumatica.knobs.licence.delayScale = 1 / SPEED;
    sb.acumatica.knobs.licence.mode = mode;
    const firstIndex = sb.acumatica.requests.length;
    for (let i = 0; i < push; i++)
      for (const c of companies) sb.gusto.scenario.runPayroll(c.companyUuid, { employees: EMPLOYEES });
    out.postings_pushed = push * COMPANIES;

    const firstRequest = await (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const r = sb.acumatica.requests.slice(firstIndex).find((q) => q.path.startsWith('/entity/Default/'));
        if (r) return Date.parse(r.time);
        await sleep(20);
      }
      return undefined;
    })();
    // Two instances: both join at their first requests (moments apart); skip the join transient.
    const first = firstRequest === undefined ? undefined : firstRequest + skipWindows * 60_000;
    out.skipped_windows = skipWindows;
    if (first === undefined) {
      notes.push(`licence (${mode}): no Acumatica API request within 20 s of pushing the payrolls`);
      return out;
    }
    const end = first + WINDOWS * 60_000;
    // Wait (real time) until the sandbox clock passes the last window, plus a moment for answers in flight.
    while (fast.now().getTime() < end + 2_000) await sleep(100);
    const inWindows = sb.acumatica.requests.slice(firstIndex).filter((r) => {
      const t = Date.parse(r.time);
      return t >= first && t < end;
    });
    const api = inWindows.filter((r) => r.path.startsWith('/entity/Default/'));
    const admitted = api.filter((r) => r.fault !== 'throttled' && r.status !== 429);
    const perWindow = Array.from(
      { length: WINDOWS },
      (_, w) =>
        admitted.filter((r) => {
          const t = Date.parse(r.time);
          return t >= first + w * 60_000 && t < first + (w + 1) * 60_000;
        }).length,
    );
    out.admitted_per_window = perWindow;
    out.used_share = round2(admitted.length / (R * WINDOWS));
    out.share_429 = inWindows.length
      ? Math.round((inWindows.filter((r) => r.status === 429).length / inWindows.length) * 10_000) / 10_000
      : null;
    out.acumatica_requests = inWindows.length;
    const kinds: Record<string, number> = {};
    for (const r of inWindows) {
      const kind = `${r.method} ${r.path.replace(/^\/entity\/Default\/[^/]+/, '').replace(/\/status\/.*/, '/status/…')}${r.query['$filter'] ? '?$filter' : ''} → ${r.status}${r.fault ? ` (${r.fault})` : ''}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    out.requests_by_kind = kinds;
    out.sandbox_delayed = sb.acumatica.stats.delayed;
    out.journals_stored = sb.acumatica.records.journalsTagged('[gusto:').length;
    out.backlog_left = (out.postings_pushed as number) - (out.journals_stored as number);
    if ((out.used_share as number) > 1.05 && mode === 'queue') {
      notes.push(
        `licence: ${admitted.length} requests admitted against R × windows = ${R * WINDOWS}: the sandbox's queue mode delays requests over the limit but never refuses them, and concurrent waiters given the same delay are admitted together, so more than R per minute get through`,
      );
    }
    if ((out.backlog_left as number) <= 0)
      notes.push(`licence (${mode}): the backlog ran out before the last window; used_share understates the ceiling`);
  } catch (error) {
    notes.push(`licence (${mode}) failed: ${(error as Error).message}`);
  } finally {
    for (const svc of services) await svc.close().catch(() => undefined);
    await sb.close().catch(() => undefined);
    removeDir(dataDir);
  }
  return out;
}
