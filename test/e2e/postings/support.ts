/**
 * The posting pipeline end to end: the service in-process (real SQLite store, real HTTP) against the
 * Gusto and Acumatica sandboxes. Payrolls arrive as real signed webhooks from the Gusto sandbox.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startGustoSandbox } from '../../../src/sandbox/gusto';
import { apiCall, startService, tempDataDir } from '../../support/service';
import {
  connectedWorld,
  GUSTO_CLIENT_ID,
  GUSTO_CLIENT_SECRET,
  TestClock,
  type World,
  type WorldOptions,
} from '../../integration/connections/harness';

export const WEBHOOK_TOKEN = 'test-webhook-verification-token'; // testEnv's GUSTO_WEBHOOK_VERIFICATION_TOKEN

export const specMapping = (): Record<string, any> =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/journal/spec-example-mapping.json'), 'utf8'));

export type PostingWorld = World & { connectionId: string; companyUuid: string };

export async function postingWorld(options: WorldOptions & { mapping?: unknown } = {}): Promise<PostingWorld> {
  const clock = new TestClock();
  const gusto =
    options.gusto ??
    (await startGustoSandbox({
      clock,
      clientId: GUSTO_CLIENT_ID,
      clientSecret: GUSTO_CLIENT_SECRET,
      verificationToken: WEBHOOK_TOKEN,
    }));
  const world = await connectedWorld({ ...options, gusto });
  const close = world.close.bind(world);
  world.close = async () => {
    await close();
    if (!options.gusto) await gusto.close();
  };
  world.gusto.scenario.createSubscription({ url: `${world.service.url}/webhooks/gusto` });
  const mapping = options.mapping ?? specMapping();
  const put = await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, mapping);
  if (put.status !== 200) throw new Error(`mapping: ${put.status} ${JSON.stringify(put.body)}`);
  return world;
}

export const postingIdOf = (world: PostingWorld, payrollUuid: string): string =>
  encodeURIComponent(`${world.connectionId}:${payrollUuid}`);

import { waitFor } from '../../support/wait';
export { waitFor };

/** Polls GET /api/postings/:id until `ok` holds of the posting (the last one seen is named on a timeout). */
export async function postingWhen(
  world: PostingWorld,
  payrollUuid: string,
  what: string,
  ok: (posting: any) => boolean,
  timeoutMs?: number,
): Promise<any> {
  let last: unknown;
  try {
    return await waitFor(
      `posting ${payrollUuid}: ${what}`,
      async () => {
        const res = await world.api('GET', `/api/postings/${postingIdOf(world, payrollUuid)}`);
        last = res.body;
        return res.status === 200 && ok(res.body) ? res.body : null;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
}

/** Polls GET /api/postings/:id until its status is one of `statuses`. */
export const postingWithStatus = (world: PostingWorld, payrollUuid: string, ...statuses: string[]): Promise<any> =>
  postingWhen(world, payrollUuid, statuses.join('|'), (p) => statuses.includes(p.status));

/** Runs `act` (something Gusto does) with each of its webhooks delivered `1 + copies` times; waits for them all. */
export async function withDuplicateWebhooks<T>(world: PostingWorld, act: () => T, copies = 2): Promise<T> {
  world.gusto.knobs.webhook.duplicates = copies;
  try {
    const result = act();
    await world.gusto.scenario.webhooksIdle();
    return result;
  } finally {
    world.gusto.knobs.webhook.duplicates = 0;
  }
}

/** A payroll of generation 1 posted, then cancelled in Gusto and its journal reversed. */
export async function postedThenReversed(world: PostingWorld): Promise<any> {
  const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
  await postingWithStatus(world, payroll.uuid, 'posted');
  world.gusto.scenario.cancelPayroll(payroll.uuid);
  await postingWhen(world, payroll.uuid, 'reversed', (p) => p.reversal?.status === 'reversed');
  return payroll;
}

export const journalsOf = (world: PostingWorld, payrollUuid: string) =>
  world.acumatica.records.journalsTagged(`gusto:${payrollUuid}`);
export const reversalsOf = (world: PostingWorld, payrollUuid: string) =>
  world.acumatica.records.journalsTagged(`gusto-reversal:${payrollUuid}`);

/** Acumatica calls of one kind made during the test: journal lookups, creates, releases. */
export function acumaticaCalls(world: PostingWorld): { lookups: number; creates: number; releases: number } {
  const journal = world.acumatica.requests.filter((r) => /\/JournalTransaction/.test(r.path));
  return {
    lookups: journal.filter((r) => r.method === 'GET' && r.query['$filter'] !== undefined).length,
    creates: journal.filter((r) => r.method === 'PUT').length,
    releases: journal.filter((r) => r.method === 'POST' && /ReleaseJournalTransaction/.test(r.path)).length,
  };
}

/** Acumatica journal creates (PUT …/JournalTransaction) sent so far. */
export const journalCreates = (world: PostingWorld): number =>
  world.acumatica.requests.filter((r) => r.method === 'PUT' && /JournalTransaction/.test(r.path)).length;

/** Journals whose description carries exactly this tag: `tagged(w, 'gusto:<uuid>')` does not match `[gusto:<uuid>/2]`. */
export const tagged = (world: PostingWorld, tag: string): any[] =>
  world.acumatica.records.journalsTagged(`[${tag}]`) as any[];

/** A decimal string (or Acumatica's null amount) in integer cents. */
export const cents = (s: unknown): number => {
  if (s === null || s === undefined) return 0;
  const text = String(s);
  const [w, f = '0'] = text.replace('-', '').split('.');
  return (text.startsWith('-') ? -1 : 1) * (Number(w) * 100 + Number(f.padEnd(2, '0').slice(0, 2)));
};

/**
 * A posting world whose service keeps its SQLite file, so that `restartService` can stop it and start a
 * new one on the same file (a real restart). `close` stops whichever service runs last and removes the file.
 */
export async function restartableWorld(options: WorldOptions & { mapping?: unknown } = {}): Promise<PostingWorld> {
  const dataDir = tempDataDir('mlc-restart-');
  const world = await postingWorld({ ...options, service: { ...options.service, dataDir, keepData: true } });
  world.close = async () => {
    await world.service.close();
    await world.gusto.close();
    await world.acumatica.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return world;
}

/**
 * Stops the world's service and starts another on the same SQLite file; `whileStopped` runs in between
 * (e.g. wait for Acumatica to commit a create the stopped service sent). `world.service` and `world.api`
 * then talk to the new service. Webhooks still go to the old address: let them settle before the stop.
 */
export async function restartService(world: PostingWorld, whileStopped?: () => Promise<void>): Promise<void> {
  await world.service.close();
  await whileStopped?.();
  const service = await startService({
    dataDir: world.service.dataDir,
    keepData: true,
    clock: world.clock,
    env: {
      GUSTO_API_BASE_URL: world.gusto.url,
      GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
      RETRY_BASE_MS: '20',
    },
  });
  world.service = service;
  world.api = (method, path, body, headers = service.auth) => apiCall(service.url, method, path, body, headers);
}
