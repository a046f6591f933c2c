/**
 * The employee mirror end to end: the service in-process (real SQLite store, real HTTP) against the Gusto
 * and Acumatica sandboxes; employee events arrive as real signed webhooks from the Gusto sandbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackfillPoll } from '../../../src/application/inbox/backfill-poll';
import { startGustoSandbox } from '../../../src/sandbox/gusto';
import type { Plain } from '../../../src/sandbox/acumatica';
import {
  connectedWorld,
  GUSTO_CLIENT_ID,
  GUSTO_CLIENT_SECRET,
  TestClock,
  type World,
} from '../../integration/connections/harness';

export const WEBHOOK_TOKEN = 'test-webhook-verification-token'; // testEnv's GUSTO_WEBHOOK_VERIFICATION_TOKEN

/** Every department the Gusto sandbox draws, mapped to one the Acumatica sandbox has. */
export const EMPLOYEES_MAPPING = {
  defaultDepartment: 'ADMIN',
  departments: { Engineering: 'ENG', Operations: 'OPS', Sales: 'SALES', Finance: 'FIN' },
  employeeClass: 'EMPSTAND',
};

export const mappingWith = (employees: Record<string, unknown>): Record<string, unknown> => ({
  ...(JSON.parse(readFileSync(join(__dirname, '../../fixtures/journal/spec-example-mapping.json'), 'utf8')) as Record<
    string,
    unknown
  >),
  employees,
});

export type EmployeeWorld = World & { connectionId: string; companyUuid: string };

export async function employeeWorld(
  options: { mapping?: Record<string, unknown>; webhooks?: boolean } = {},
): Promise<EmployeeWorld> {
  const clock = new TestClock();
  // A generous Gusto rate limit: the 300-employee company is read page by page, but a test should not wait out a minute.
  const gusto = await startGustoSandbox({
    clock,
    clientId: GUSTO_CLIENT_ID,
    clientSecret: GUSTO_CLIENT_SECRET,
    verificationToken: WEBHOOK_TOKEN,
    rateLimit: { requests: 10_000, windowMs: 60_000 },
  });
  const world = await connectedWorld({ gusto });
  const close = world.close.bind(world);
  world.close = async () => {
    await close();
    await gusto.close();
  };
  if (options.webhooks !== false)
    world.gusto.scenario.createSubscription({ url: `${world.service.url}/webhooks/gusto` });
  const put = await world.api(
    'PUT',
    `/api/connections/${world.connectionId}/mapping`,
    options.mapping ?? mappingWith(EMPLOYEES_MAPPING),
  );
  if (put.status !== 200) {
    await world.close(); // beforeAll failing must not leave servers holding Jest open
    throw new Error(`mapping: ${put.status} ${JSON.stringify(put.body)}`);
  }
  return world;
}

import { waitFor } from '../../support/wait';
export { waitFor };

/** GET /api/employees, every page. */
export async function mirror(world: EmployeeWorld): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await world.api(
      'GET',
      `/api/employees?connectionId=${world.connectionId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`GET /api/employees: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.next;
  } while (cursor);
  return items;
}

export async function mirrorOf(world: EmployeeWorld, gustoUuid: string): Promise<any | undefined> {
  return (await mirror(world)).find((item) => item.gustoUuid === gustoUuid);
}

/** Waits until the mirror's entry for the employee satisfies `ok`; fails with the last entry seen. */
export async function mirrorUntil(world: EmployeeWorld, gustoUuid: string, ok: (item: any) => boolean): Promise<any> {
  let last: unknown;
  try {
    return await waitFor(`employee ${gustoUuid} in the mirror`, async () => {
      last = await mirrorOf(world, gustoUuid);
      return last && ok(last) ? last : null;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
}

/** The Acumatica sandbox's employee carrying this Gusto uuid in EmployeeRefNbr. */
export const acumaticaEmployee = (world: EmployeeWorld, gustoUuid: string): Plain | undefined =>
  world.acumatica.records
    .employees()
    .find((e) => (e.EmployeeSettings as Plain | undefined)?.EmployeeRefNbr === gustoUuid);

export const acumaticaEmployeesWith = (world: EmployeeWorld, gustoUuid: string): Plain[] =>
  world.acumatica.records
    .employees()
    .filter((e) => (e.EmployeeSettings as Plain | undefined)?.EmployeeRefNbr === gustoUuid);

/** PUTs to /Employee the Acumatica sandbox has answered so far: every write the mirror made. */
export const employeePuts = (world: EmployeeWorld): number =>
  world.acumatica.requests.filter((r) => r.method === 'PUT' && /\/Employee$/.test(r.path)).length;

export const isoDaysFromNow = (world: EmployeeWorld, days: number): string =>
  new Date(world.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Moves the service's clock (shared with the Acumatica sandbox) and the Gusto sandbox's clock together. */
export function advanceDays(world: EmployeeWorld, days: number): void {
  world.clock.advance(days * 86_400_000);
  world.gusto.clock.advance(days * 86_400_000);
}

/** POST /api/connections/:id/sync, waiting for the poll to finish when it answers 202 (still running). */
export async function syncNow(world: EmployeeWorld): Promise<void> {
  const res = await world.api('POST', `/api/connections/${world.connectionId}/sync`);
  if (res.status !== 200 && res.status !== 202) throw new Error(`sync: ${res.status} ${JSON.stringify(res.body)}`);
  const poll = world.service.app.get(BackfillPoll, { strict: false });
  await waitFor('the poll to finish', () => !poll.isRunning(world.connectionId), 120_000);
}
