/**
 * Acceptance-test harness for the connections capability: the whole service in-process (real SQLite
 * store, real HTTP) against the Gusto and Acumatica sandboxes, all three on one controllable clock.
 */
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { startAcumaticaSandbox, type AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { apiCall, startService, type StartServiceOptions, type TestService } from '../../support/service';

export const GUSTO_CLIENT_ID = 'test-gusto-client';
export const GUSTO_CLIENT_SECRET = 'test-gusto-client-secret-value';
export const ACUMATICA_PASSWORD = 'Sandbox-Passw0rd!';
export const ACUMATICA_CLIENT_ID = '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@AcmeCorp';
export const ACUMATICA_CLIENT_SECRET = 'sandbox-client-secret';

/** Real time plus an offset that tests move forward ("two hours later"). */
export class TestClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface World {
  clock: TestClock;
  gusto: GustoSandbox;
  acumatica: AcumaticaSandbox;
  service: TestService;
  /** Every HTTP answer body the tests received from the service (for the secret scan). */
  responses: string[];
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  service?: Omit<StartServiceOptions, 'clock'>;
  acumaticaVersions?: string[];
  /** Gusto's rate limit (default 200 per minute per grant). */
  gustoRateLimit?: { requests: number; windowMs: number };
  /** Reuse sandboxes (a second service on the same world). */
  gusto?: GustoSandbox;
  acumatica?: AcumaticaSandbox;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const clock = new TestClock();
  const gusto =
    options.gusto ??
    (await startGustoSandbox({
      clock,
      clientId: GUSTO_CLIENT_ID,
      clientSecret: GUSTO_CLIENT_SECRET,
      ...(options.gustoRateLimit ? { rateLimit: options.gustoRateLimit } : {}),
    }));
  const acumatica =
    options.acumatica ??
    (await startAcumaticaSandbox({
      clock,
      ...(options.acumaticaVersions ? { versions: options.acumaticaVersions } : {}),
    }));
  const service = await startService({
    ...options.service,
    clock,
    env: {
      GUSTO_API_BASE_URL: gusto.url,
      GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
      RETRY_BASE_MS: '20',
      ...options.service?.env,
    },
  });
  const responses: string[] = [];
  const api: World['api'] = async (method, path, body, headers = service.auth) => {
    const answer = await apiCall(service.url, method, path, body, headers);
    responses.push(
      `${answer.status} ${[...answer.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${answer.text}`,
    );
    return answer;
  };
  return {
    clock,
    gusto,
    acumatica,
    service,
    responses,
    api,
    async close() {
      await service.close();
      if (!options.gusto) await gusto.close();
      if (!options.acumatica) await acumatica.close();
    },
  };
}

export const oauthAcumatica = (overrides: Record<string, unknown> = {}) => ({
  baseUrl: 'http://127.0.0.1:1', // replaced per world
  tenant: 'AcmeCorp',
  branch: 'HEADOFFICE',
  endpointVersion: '24.200.001',
  auth: {
    kind: 'oauth2',
    clientId: ACUMATICA_CLIENT_ID,
    clientSecret: ACUMATICA_CLIENT_SECRET,
    username: 'api.gusto',
    password: ACUMATICA_PASSWORD,
  },
  ...overrides,
});

export async function createConnection(
  world: World,
  acumatica: Record<string, unknown> = {},
  name = 'Acme Inc.',
): Promise<string> {
  const res = await world.api('POST', '/api/connections', {
    name,
    acumatica: oauthAcumatica({ baseUrl: world.acumatica.url, ...acumatica }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The browser's part of the dance: our authorize → Gusto's authorize (auto-approves) → our callback. */
export async function authorize(
  world: World,
  connectionId: string,
  companyUuid?: string,
): Promise<{ status: number; body: any }> {
  // Naming the company binds it at the callback (without, the callback only shows it for confirmation).
  const start = await world.api(
    'GET',
    `/api/connections/${connectionId}/gusto/authorize${companyUuid ? `?companyUuid=${companyUuid}` : ''}`,
  );
  if (start.status !== 302) throw new Error(`authorize: ${start.status} ${JSON.stringify(start.body)}`);
  const gustoUrl = new URL(start.headers.get('location')!);
  if (companyUuid) gustoUrl.searchParams.set('company_uuid', companyUuid);
  const approved = await fetch(gustoUrl, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  return world.api('GET', `/oauth/gusto/callback?${back.searchParams.toString()}`, undefined, {});
}

export async function connectedWorld(
  options: WorldOptions = {},
): Promise<World & { connectionId: string; companyUuid: string }> {
  const world = await startWorld(options);
  const company = world.gusto.scenario.createCompany({ name: 'Acme Payroll Co' } as never);
  const connectionId = await createConnection(world);
  const done = await authorize(world, connectionId, company.uuid);
  if (done.status !== 200) throw new Error(`callback: ${done.status} ${JSON.stringify(done.body)}`);
  return Object.assign(world, { connectionId, companyUuid: company.uuid });
}
