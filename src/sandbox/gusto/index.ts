/**
 * The Gusto sandbox: a node:http simulator of the parts of Gusto's App Integrations API the connector
 * uses (see README.md next to this file). Never imported by the product; tests and `npm run sandbox` start it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkApiVersion } from './api-version';
import { isDataPath, routeApi } from './api-router';
import { PagingError, readBody, send, sendError, sleep, type Ctx } from './http-support';
import { matchesPath, type SandboxKnobs } from './knobs';
import type { Delivery, GustoEvent, RecordedRequest } from './model';
import { handleAuthorize, handleToken } from './oauth';
import { Scenario } from './scenario';
import { routeScenario } from './scenario-routes';
import { SandboxClock, SeededRandom, type ClockSource } from './support';
import { WebhookDispatcher } from './webhooks';
import { ScenarioError, World, type SandboxStats } from './world';

export { SandboxClock } from './support';
export type { SandboxKnobs, WebhookKnobs, FaultStatus } from './knobs';
export type { Delivery, GustoEvent, RecordedRequest } from './model';
export type { SandboxStats } from './world';
export { ScenarioError } from './world';
export type {
  Scenario,
  CompanyInput,
  EmployeeInput,
  EmployeeUpdate,
  TerminationInput,
  RehireInput,
  PayrollInput,
  ReverseInput,
  SubscriptionInput,
  PayrollSummary,
} from './scenario';

export interface GustoSandboxOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Time source the sandbox clock follows (plus its own offset); default real time. */
  clock?: ClockSource;
  /** Seeds every generated uuid, name and amount; default 1. */
  seed?: number;
  clientId?: string;
  clientSecret?: string;
  /** The verification token POSTed in the subscription handshake and used as HMAC key; default derived from the seed. */
  verificationToken?: string;
  /** Default 200 requests per 60 000 ms per OAuth grant. */
  rateLimit?: { requests: number; windowMs: number };
}

export interface GustoSandbox {
  url: string;
  close(): Promise<void>;
  clock: SandboxClock;
  /** Every API and OAuth request (the /sandbox control routes excluded), in arrival order. */
  requests: RecordedRequest[];
  /** Non-GET requests to /v1 data paths: the connector must never write to Gusto. */
  nonGetDataRequests(): RecordedRequest[];
  knobs: SandboxKnobs;
  scenario: Scenario;
  stats: SandboxStats;
  /** Every event created (delivered or silent), as GET /v1/events lists them. */
  events: GustoEvent[];
  /** Every webhook delivery attempt, verification POSTs included. */
  deliveries: Delivery[];
  config: { clientId: string; clientSecret: string; verificationToken: string };
}

export const startGustoSandbox = async (options: GustoSandboxOptions = {}): Promise<GustoSandbox> => {
  const rng = new SeededRandom(options.seed ?? 1);
  const clock = new SandboxClock(options.clock);
  const world = new World(rng, clock, {
    clientId: options.clientId ?? 'gusto-sandbox-client-id',
    clientSecret: options.clientSecret ?? 'gusto-sandbox-client-secret',
    verificationToken: options.verificationToken ?? rng.uuid(),
    rateLimit: options.rateLimit ?? { requests: 200, windowMs: 60_000 },
  });
  const webhooks = new WebhookDispatcher(world);
  const scenario = new Scenario(world, webhooks);
  const nonGetDataRequests = (): RecordedRequest[] =>
    world.requests.filter((r) => r.method !== 'GET' && isDataPath(r.path));
  let requestSeq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const header = req.headers['x-gusto-api-version'];
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      company: null,
      time: clock.now().toISOString(),
      apiVersion: typeof header === 'string' ? header : null,
    };
    const control = url.pathname.startsWith('/sandbox/');
    if (!control) world.requests.push(record);
    const ctx: Ctx = {
      req,
      res,
      method,
      path: url.pathname,
      query: url.searchParams,
      rawBody: await readBody(req),
      record,
      world,
      headers: { 'x-request-id': `sbx-${++requestSeq}` },
    };
    try {
      if (control) return await routeScenario(ctx, { scenario, clock, nonGetDataRequests });
      if (world.knobs.latencyMs > 0) await sleep(world.knobs.latencyMs);
      const fault = world.faults.find((f) => f.remaining > 0 && matchesPath(f.pattern, url.pathname));
      if (fault) {
        fault.remaining--;
        if (fault.status === 'timeout') return; // never answered; the socket dies on close()
        return sendError(
          ctx,
          fault.status,
          fault.status >= 500 ? 'internal_error' : 'injected_fault',
          `Injected fault ${fault.status}`,
        );
      }
      const isApi = url.pathname.startsWith('/v1/');
      if (isApi || url.pathname === '/oauth/token') {
        const check = checkApiVersion(
          typeof header === 'string' ? header : undefined,
          world.knobs.defaultApiVersion,
          clock.today(),
        );
        if (!check.ok) return sendError(ctx, 406, 'invalid_api_version', check.message, 'base');
        ctx.headers['X-Gusto-API-Version'] = check.version;
        if (isApi) return routeApi(ctx, check.version, scenario, webhooks);
        if (method === 'POST') return handleToken(ctx, webhooks);
      }
      if (url.pathname === '/oauth/authorize' && method === 'GET') return handleAuthorize(ctx);
      return sendError(ctx, 404, 'not_found', 'No such endpoint', 'request');
    } catch (err) {
      if (err instanceof PagingError) return sendError(ctx, 422, 'invalid_parameter', err.message, 'request');
      if (err instanceof ScenarioError) return send(ctx, err.status, { error: 'scenario_error', message: err.message });
      return sendError(ctx, 500, 'internal_error', err instanceof Error ? err.message : String(err));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const sandbox: GustoSandbox = {
    url: `http://${host}:${address.port}`,
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    clock,
    requests: world.requests,
    nonGetDataRequests,
    knobs: world.knobs,
    scenario,
    stats: world.stats,
    events: world.events,
    deliveries: world.deliveries,
    config: {
      clientId: world.config.clientId,
      clientSecret: world.config.clientSecret,
      verificationToken: world.config.verificationToken,
    },
  };
  started.push(sandbox);
  return sandbox;
};

const started: GustoSandbox[] = [];
/** Every sandbox started in this process, so a suite can check after all its tests that none was written to. */
export const startedGustoSandboxes = (): readonly GustoSandbox[] => started;
