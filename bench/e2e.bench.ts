/**
 * End to end: the service in-process (createApp, embedded SQLite in a temp folder) between the Gusto and
 * Acumatica sandboxes on loopback. Latency of one posting = from the moment its `payroll.processed` webhook
 * reached the service's HTTP server to the journal's CreatedDateTime in the Acumatica sandbox (wall clock,
 * ms resolution). At 1 company, and for the floor, the end is the moment the sandbox wrote the create's 200
 * answer, at sub-millisecond resolution (one create in flight at a time). `from_payroll_processed` is the
 * same postings from the moment Gusto processed the payroll: it adds the Gusto sandbox's delivery queue
 * (first attempts one at a time, each waiting for the service's answer).
 *
 * Concurrency levels 1, 10 and 100 companies: each round, that many connected companies run a payroll at
 * the same moment (a payday burst) and the round ends when every journal is stored. postings_per_s of a
 * level = its postings / the sum of its rounds' durations (first payroll processed → last journal stored).
 *
 * The floor, in the same run against the same sandboxes: a bare script that makes the required calls one
 * after another with plain fetch (⌈employees/100⌉ payroll pages, the journal lookup, the journal create),
 * with tokens it already holds. overhead_ratio = connector p50 at 1 company / floor p50.
 *
 * Calls per posting: every request each sandbox logged during the measured rounds (token calls included),
 * divided by the postings.
 *
 * Projection: POST /api/projections/rebuild on the same service after all those postings.
 */
import type { IncomingMessage, Server } from 'node:http';
import {
  ACUMATICA_CLIENT_ID,
  ACUMATICA_CLIENT_SECRET,
  ACUMATICA_PASSWORD,
  ACUMATICA_USER,
  ADMIN_TOKEN,
  ENDPOINT_VERSION,
  GUSTO_CLIENT_ID,
  GUSTO_CLIENT_SECRET,
  REDIRECT_URI,
  api,
  hrEpochMs,
  watchCreateAnswers,
  connectCompanies,
  CreateCounter,
  removeDir,
  round2,
  startInProcess,
  startSandboxes,
  summary,
  tagOf,
  tempDir,
  waitUntil,
  type Company,
  type InProcessService,
  type Sandboxes,
} from './support/harness';

export const EMPLOYEES_PER_PAYROLL = 25;
const LEVELS: Array<{ companies: number; rounds: number }> = [
  { companies: 1, rounds: 40 },
  { companies: 10, rounds: 10 },
  { companies: 100, rounds: 5 },
];
const FLOOR_RUNS = 40;
const ROUND_TIMEOUT_MS = 30_000;
/** The measured levels stop starting rounds after this (the whole bench stays within ~5 minutes). */
const LEVELS_BUDGET_MS = 150_000;
const GUSTO_VERSION = '2026-06-15';

export interface LevelResult {
  companies: number;
  /** The same postings from the moment Gusto processed the payroll: adds the sandbox's one-at-a-time webhook queue. */
  from_payroll_processed: {
    p50_ms: number | null;
    p95_ms: number | null;
    p99_ms: number | null;
    max_ms: number | null;
  };
  postings: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  postings_per_s: number | null;
  incomplete_rounds: number;
}

export interface E2eResult {
  e2e: Record<string, unknown>;
  calls_per_posting: Record<string, unknown>;
  projection: Record<string, unknown>;
}

/**
 * Runs one round: every company in `companies` processes a payroll now; resolves with latencies (from the webhook's
 * arrival, and from the payroll being processed) and the round's duration.
 * With one company the end is the moment the create was answered (sub-ms, `answers`); with more, the
 * journal's CreatedDateTime (ms).
 */
async function round(
  sb: Sandboxes,
  counter: CreateCounter,
  companies: Company[],
  journalCursor: { n: number },
  answers: number[],
  received: Map<string, number>,
): Promise<{ fromProcessed: number[]; fromReceived: number[]; durationMs: number; complete: boolean }> {
  const before = counter.poll();
  const answersBefore = answers.length;
  const starts = new Map<string, number>();
  let single: number | undefined;
  for (const c of companies) {
    const payroll = sb.gusto.scenario.runPayroll(c.companyUuid, { employees: EMPLOYEES_PER_PAYROLL });
    single = hrEpochMs();
    starts.set(payroll.uuid, Date.now());
  }
  const done = await waitUntil(() => counter.poll() - before >= companies.length, ROUND_TIMEOUT_MS, 2);
  if (companies.length === 1 && done && answers.length === answersBefore + 1 && single !== undefined) {
    journalCursor.n = sb.acumatica.records.journals().length;
    const end = answers[answersBefore]!;
    const ms = round2(end - single);
    const uuid = [...starts.keys()][0]!;
    const arrived = received.get(uuid);
    return {
      fromProcessed: [ms],
      fromReceived: arrived !== undefined ? [round2(end - arrived)] : [],
      durationMs: ms,
      complete: true,
    };
  }
  const journals = sb.acumatica.records.journals();
  const fresh = journals.slice(journalCursor.n);
  journalCursor.n = journals.length;
  const fromProcessed: number[] = [];
  const fromReceived: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const t of starts.values()) first = Math.min(first, t);
  for (const j of fresh) {
    const tag = tagOf(j.Description);
    const start = tag ? starts.get(tag) : undefined;
    if (start === undefined) continue;
    const created = Date.parse(String(j.CreatedDateTime));
    fromProcessed.push(created - start);
    const arrived = received.get(tag!);
    if (arrived !== undefined) fromReceived.push(round2(created - arrived));
    last = Math.max(last, created);
  }
  return {
    fromProcessed,
    fromReceived,
    durationMs: Math.max(1, last - first),
    complete: done === true && fromProcessed.length === companies.length,
  };
}

/**
 * When each payroll's `payroll.processed` webhook reached the connector, by payroll uuid: the moment the
 * service's HTTP server saw the POST arrive (a 'request' listener beside Express's). The Gusto sandbox sends
 * first attempts one at a time and logs each delivery once answered, so the n-th POST to /webhooks/gusto
 * is the n-th logged delivery.
 */
function watchWebhookArrivals(sb: Sandboxes, svc: InProcessService): Map<string, number> {
  const received = new Map<string, number>();
  const arrivals: number[] = [];
  // Prepended: Express rewrites req.url for the /webhooks mount while it handles the request.
  (svc.app.getHttpServer() as Server).prependListener('request', (req: IncomingMessage) => {
    if (req.method === 'POST' && req.url?.startsWith('/webhooks/gusto')) arrivals.push(hrEpochMs());
  });
  const deliveries = sb.gusto.deliveries;
  const push = deliveries.push.bind(deliveries);
  deliveries.push = (...items) => {
    for (const d of items) {
      const arrived = arrivals.shift();
      if (arrived === undefined || d.eventType !== 'payroll.processed' || d.status !== 200) continue;
      try {
        const uuid = (JSON.parse(d.body) as { entity_uuid?: string }).entity_uuid;
        if (uuid && !received.has(uuid)) received.set(uuid, arrived);
      } catch {
        /* not ours to judge */
      }
    }
    return push(...items);
  };
  return received;
}

/** The bare sequence of required calls, one after another, with tokens already in hand. */
async function floor(
  sb: Sandboxes,
  notes: string[],
  answers: number[],
): Promise<{ latencies: number[]; gustoCalls: number; acumaticaCalls: number }> {
  const company = sb.gusto.scenario.createCompany({ name: 'Floor Co' });
  const auth = await fetch(
    `${sb.gusto.url}/oauth/authorize?${new URLSearchParams({ client_id: GUSTO_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', state: 'floor', company_uuid: company.uuid })}`,
    { redirect: 'manual' },
  );
  const code = new URL(auth.headers.get('location')!).searchParams.get('code');
  const gustoToken = (await (
    await fetch(`${sb.gusto.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gusto-api-version': GUSTO_VERSION },
      body: JSON.stringify({
        client_id: GUSTO_CLIENT_ID,
        client_secret: GUSTO_CLIENT_SECRET,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
      }),
    })
  ).json()) as { access_token: string };
  const acuToken = (await (
    await fetch(`${sb.acumatica.url}/identity/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: ACUMATICA_CLIENT_ID,
        client_secret: ACUMATICA_CLIENT_SECRET,
        username: ACUMATICA_USER,
        password: ACUMATICA_PASSWORD,
        scope: 'api offline_access',
      }),
    })
  ).json()) as { access_token: string };
  const gh = { authorization: `Bearer ${gustoToken.access_token}`, 'x-gusto-api-version': GUSTO_VERSION };
  const ah = { authorization: `Bearer ${acuToken.access_token}`, 'content-type': 'application/json' };
  const entity = `${sb.acumatica.url}/entity/Default/${ENDPOINT_VERSION}/JournalTransaction`;
  const pages = Math.ceil(EMPLOYEES_PER_PAYROLL / 100);

  const once = async (): Promise<number> => {
    const payroll = sb.gusto.scenario.runPayroll(company.uuid, { employees: EMPLOYEES_PER_PAYROLL, webhook: false });
    const t0 = hrEpochMs();
    const answersBefore = answers.length;
    let gross = 0n;
    for (let page = 1; page <= pages; page++) {
      const res = await fetch(
        `${sb.gusto.url}/v1/companies/${company.uuid}/payrolls/${payroll.uuid}?include=benefits,deductions,taxes,totals,payroll_taxes&page=${page}&per=100`,
        { headers: gh },
      );
      const body = (await res.json()) as { employee_compensations?: Array<{ gross_pay: string }> };
      for (const c of body.employee_compensations ?? []) gross += BigInt(String(c.gross_pay).replace('.', ''));
    }
    const tag = `floor:${payroll.uuid}`;
    const filter = `Module eq 'GL' and substringof('${tag}',Description)`;
    await (
      await fetch(`${entity}?${new URLSearchParams({ $filter: filter, $select: 'BatchNbr,Status' })}`, { headers: ah })
    ).text();
    const amount = `${gross / 100n}.${String(gross % 100n).padStart(2, '0')}`;
    const body = JSON.stringify({
      Module: { value: 'GL' },
      BranchID: { value: 'HQ' },
      LedgerID: { value: 'ACTUAL' },
      TransactionDate: { value: payroll.check_date },
      Description: { value: `Payroll ${payroll.check_date} [${tag}]` },
      Hold: { value: false },
      Details: [
        {
          Account: { value: '60000' },
          Subaccount: { value: '000000' },
          DebitAmount: { value: amount },
          CreditAmount: { value: '0' },
        },
        {
          Account: { value: '10100' },
          Subaccount: { value: '000000' },
          DebitAmount: { value: '0' },
          CreditAmount: { value: amount },
        },
      ],
    }).replace(/"value":"(\d+\.\d\d|0)"/g, '"value":$1');
    const res = await fetch(`${entity}?$expand=Details`, { method: 'PUT', headers: ah, body });
    const created = (await res.json()) as unknown;
    if (res.status !== 200) throw new Error(`floor PUT: ${res.status} ${JSON.stringify(created).slice(0, 300)}`);
    // The same end as the connector's: the moment the sandbox wrote the create's answer.
    return round2((answers[answersBefore] ?? hrEpochMs()) - t0);
  };
  for (let i = 0; i < 3; i++) await once(); // warm-up
  const gBefore = sb.gusto.requests.length;
  const aBefore = sb.acumatica.requests.length;
  const latencies: number[] = [];
  for (let i = 0; i < FLOOR_RUNS; i++) latencies.push(await once());
  if (latencies.length === 0) notes.push('floor: no run completed');
  return {
    latencies,
    gustoCalls: (sb.gusto.requests.length - gBefore) / FLOOR_RUNS,
    acumaticaCalls: (sb.acumatica.requests.length - aBefore) / FLOOR_RUNS,
  };
}

export async function benchE2e(notes: string[]): Promise<E2eResult> {
  const out: E2eResult = {
    e2e: {
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
      floor_ms: null,
      overhead_ratio: null,
      postings_per_s: null,
      employees_per_payroll: EMPLOYEES_PER_PAYROLL,
      levels: {},
    },
    calls_per_posting: { acumatica: null, gusto: null, floor_acumatica: null, floor_gusto: null },
    projection: { events_per_s: null, events: null, rebuild_ms: null },
  };
  const levels: Record<string, LevelResult> = {};
  out.e2e.levels = levels;
  const sb = await startSandboxes({ gusto: { seed: 7, rateLimit: { requests: 1_000_000_000, windowMs: 60_000 } } });
  const dataDir = tempDir();
  let svc: InProcessService | undefined;
  try {
    svc = await startInProcess(dataDir, sb.gusto.url);
    sb.gusto.scenario.createSubscription({ url: `${svc.url}/webhooks/gusto` });
    const maxCompanies = Math.max(...LEVELS.map((l) => l.companies));
    const companies = await connectCompanies(svc, sb, maxCompanies);
    const counter = new CreateCounter(sb.acumatica);
    const answers = watchCreateAnswers(sb.acumatica);
    const arrivals = watchWebhookArrivals(sb, svc);
    const cursor = { n: sb.acumatica.records.journals().length };

    // Warm-up (untimed): every company hires its people and posts once; the service's JIT and tokens warm up.
    const warm = await round(sb, counter, companies, cursor, answers, arrivals);
    if (!warm.complete) {
      notes.push(
        `e2e: warm-up round incomplete (${warm.fromProcessed.length}/${companies.length} journals in ${ROUND_TIMEOUT_MS} ms); the pipeline does not post end to end`,
      );
      return out;
    }

    const budgetEnd = Date.now() + LEVELS_BUDGET_MS;
    const all: number[] = [];
    const allProcessed: number[] = [];
    let gustoCalls = 0;
    let acumaticaCalls = 0;
    let measuredPostings = 0;
    for (const level of LEVELS) {
      const lat: number[] = []; // from the webhook's arrival
      const lag: number[] = []; // from the payroll being processed
      let duration = 0;
      let incomplete = 0;
      const gBefore = sb.gusto.requests.length;
      const aBefore = sb.acumatica.requests.length;
      for (let r = 0; r < level.rounds; r++) {
        if (Date.now() > budgetEnd) {
          notes.push(
            `e2e: time budget (${LEVELS_BUDGET_MS / 1000} s) spent; ${level.companies} companies ran ${r} of ${level.rounds} rounds`,
          );
          break;
        }
        const res = await round(sb, counter, companies.slice(0, level.companies), cursor, answers, arrivals);
        lat.push(...res.fromReceived);
        lag.push(...res.fromProcessed);
        duration += res.durationMs;
        if (!res.complete) {
          incomplete++;
          break;
        }
      }
      gustoCalls += sb.gusto.requests.length - gBefore;
      acumaticaCalls += sb.acumatica.requests.length - aBefore;
      measuredPostings += lag.length;
      all.push(...lat);
      allProcessed.push(...lag);
      if (lat.length !== lag.length)
        notes.push(
          `e2e: at ${level.companies} companies ${lag.length - lat.length} postings had no matched webhook arrival`,
        );
      const s = summary(lat);
      const sp = summary(lag);
      levels[String(level.companies)] = {
        companies: level.companies,
        postings: sp.n,
        p50_ms: s.p50_ms,
        p95_ms: s.p95_ms,
        p99_ms: s.p99_ms,
        max_ms: s.max_ms,
        postings_per_s: sp.n > 0 ? round2((sp.n / duration) * 1000) : null,
        incomplete_rounds: incomplete,
        from_payroll_processed: { p50_ms: sp.p50_ms, p95_ms: sp.p95_ms, p99_ms: sp.p99_ms, max_ms: sp.max_ms },
      };
      if (incomplete > 0)
        notes.push(`e2e: a round at ${level.companies} companies did not finish within ${ROUND_TIMEOUT_MS} ms`);
    }
    // Drift: 1 company again, after every posting above. A p50 that grew with the log's length points at
    // work that scales with the whole history (not counted in the pooled figures).
    if (Date.now() < budgetEnd) {
      const again: number[] = [];
      for (let r = 0; r < 20; r++) {
        const res = await round(sb, counter, companies.slice(0, 1), cursor, answers, arrivals);
        again.push(...res.fromReceived);
        if (!res.complete) break;
      }
      out.e2e.drift_1_company = {
        p50_first_ms: levels['1']?.p50_ms ?? null,
        p50_after_ms: summary(again).p50_ms,
        postings_between: all.length - (levels['1']?.postings ?? 0),
      };
    }
    const pooled = summary(all);
    const pooledProcessed = summary(allProcessed);
    Object.assign(out.e2e, {
      p50_ms: pooled.p50_ms,
      p95_ms: pooled.p95_ms,
      p99_ms: pooled.p99_ms,
      postings: pooledProcessed.n,
      from_payroll_processed: {
        p50_ms: pooledProcessed.p50_ms,
        p95_ms: pooledProcessed.p95_ms,
        p99_ms: pooledProcessed.p99_ms,
      },
    });
    const rates = Object.values(levels)
      .map((l) => l.postings_per_s)
      .filter((x): x is number => x !== null);
    out.e2e.postings_per_s = rates.length ? Math.max(...rates) : null;
    if (measuredPostings > 0) {
      out.calls_per_posting.acumatica = round2(acumaticaCalls / measuredPostings);
      out.calls_per_posting.gusto = round2(gustoCalls / measuredPostings);
    }

    try {
      const f = await floor(sb, notes, answers);
      const fs = summary(f.latencies);
      out.e2e.floor_ms = fs.p50_ms;
      out.e2e.floor = fs;
      out.calls_per_posting.floor_acumatica = round2(f.acumaticaCalls);
      out.calls_per_posting.floor_gusto = round2(f.gustoCalls);
      const one = levels['1']?.p50_ms;
      if (one != null && fs.p50_ms) out.e2e.overhead_ratio = round2(one / fs.p50_ms);
    } catch (error) {
      notes.push(`e2e floor failed: ${(error as Error).message}`);
    }

    try {
      const t0 = performance.now();
      const rebuilt = await api<{ readModels: Array<{ name: string; events: number; rows: number }> }>(
        svc,
        'POST',
        '/api/projections/rebuild',
        undefined,
        { Authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      const ms = performance.now() - t0;
      if (rebuilt.status >= 300) throw new Error(`${rebuilt.status} ${rebuilt.text.slice(0, 200)}`);
      const events = rebuilt.body.readModels.reduce((n, m) => n + m.events, 0);
      out.projection = {
        events_per_s: Math.round(events / (ms / 1000)),
        events,
        rebuild_ms: round2(ms),
        read_models: rebuilt.body.readModels.map((m) => ({ name: m.name, events: m.events, rows: m.rows })),
      };
    } catch (error) {
      notes.push(`projection rebuild failed: ${(error as Error).message}`);
    }
  } catch (error) {
    notes.push(`e2e failed: ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
  } finally {
    await svc?.close().catch(() => undefined);
    await sb.close().catch(() => undefined);
    removeDir(dataDir);
  }
  return out;
}
