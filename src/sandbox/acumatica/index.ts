/**
 * Acumatica Cloud ERP sandbox (contract-based REST API, Default endpoint) on node:http.
 * See README.md in this folder for endpoints, knobs and seeded data.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Auth } from './auth';
import { controllableClock } from './clock';
import { control } from './control';
import { endpointList, openIdConfiguration } from './discovery';
import { Employees } from './employee';
import { Ctx, notLoggedIn, OPAQUE_429, send, sendError } from './http';
import { Journals } from './journal';
import { Faults, Licence } from './limits';
import { notFound, routeEntity } from './router';
import type { Rec } from './schema';
import * as seed from './seed';
import { AccountRecord, EmployeeRecord, JournalRecord, plain, Plain, Store, SubaccountRecord } from './store';
import type { AcumaticaSandbox, AcumaticaSandboxOptions, RecordedRequest, SandboxKnobs, SandboxStats } from './types';

export * from './types';
export type {
  AccountRecord,
  EmployeeRecord,
  EmploymentHistoryRecord,
  JournalLineRecord,
  JournalRecord,
  Plain,
  SubaccountRecord,
} from './store';
export { parseFilter, evaluate, FilterError } from './filter';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startAcumaticaSandbox(options: AcumaticaSandboxOptions = {}): Promise<AcumaticaSandbox> {
  const clock = controllableClock(options.clock);
  const tenant = options.tenant ?? seed.DEFAULT_TENANT;
  // Copies: a password reset or a revoked client changes this sandbox only, never the seed or the caller's list.
  const users = (options.users ?? seed.DEFAULT_USERS).map((u) => ({ ...u }));
  const clients = (
    options.clients ?? [{ clientId: `${seed.DEFAULT_CLIENT_GUID}@${tenant}`, clientSecret: seed.DEFAULT_CLIENT_SECRET }]
  ).map((c) => ({ ...c }));
  const versions = options.versions ?? seed.DEFAULT_VERSIONS;
  const store = new Store(() => clock.now());
  const faults = new Faults();
  const holds: Array<{ ms: number; dropConnection: boolean }> = [];
  let holding = 0;
  const requests: RecordedRequest[] = [];
  const stats: SandboxStats = {
    tokenCalls: 0,
    tokensIssued: 0,
    refreshes: 0,
    logins: 0,
    logouts: 0,
    throttled429: 0,
    loginLimitRejections: 0,
    delayed: 0,
  };
  const knobs: SandboxKnobs = {
    failNext: (method, pattern, count, status, retryAfterSec) =>
      faults.add(method, pattern, count, status, retryAfterSec),
    clearFaults: () => {
      faults.clear();
      holds.length = 0;
    },
    holdNextCreate: (ms, options = {}) => {
      holds.push({ ms: Math.max(0, ms), dropConnection: options.dropConnection === true });
    },
    heldCreates: () => holding,
    latencyMs: 0,
    retryAfterHeader: false,
    retryAfterSec: 1,
    timeoutHoldMs: 1000,
    closedPeriods: new Set(options.closedPeriods ?? []),
    licence: { ...options.licence, mode: 'queue', maxQueue: 20, delayScale: 1 },
    loginLimitResponse: 'opaque-429',
    autoPostOnRelease: true,
    releasePolls: 1,
    holdBatchesOnEntry: true,
    outOfBalanceAs: 422,
    subaccountsFeature: true,
    honourSuppliedKeys: false,
    dateOnlyShiftHours: 0,
    optimizationFailsOnLinkedFilter: false,
    setAccountActive: (cd, active) => store.setAccountActive(cd, active),
  };
  const auth = new Auth(tenant, users, clients, clock, knobs, stats);
  const licence = new Licence(knobs, clock, stats);
  const journals = new Journals(store, knobs);
  const employees = new Employees(store, knobs);
  const sockets = new Set<Socket>();

  const throttled = (ctx: Ctx, fault: RecordedRequest['fault'], retryAfterSec?: number): void => {
    stats.throttled429++;
    ctx.record.fault = fault;
    const header = knobs.retryAfterHeader || retryAfterSec !== undefined;
    send(ctx, 429, OPAQUE_429, header ? { 'Retry-After': String(retryAfterSec ?? knobs.retryAfterSec) } : {});
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      auth: 'none',
      time: clock.now().toISOString(),
    };
    // /sandbox/… is the tester's control panel (scenarios), not Acumatica: not recorded, no faults, no auth.
    if (url.pathname.startsWith('/sandbox/')) return control(auth, req, res, url.pathname, await readBody(req));
    requests.push(record);
    const ctx: Ctx = {
      req,
      res,
      method: record.method,
      path: url.pathname,
      query: record.query,
      rawBody: await readBody(req),
      auth: 'none',
      record,
      base: '',
      version: '',
    };
    auth.identify(ctx);
    record.auth = ctx.auth;
    const fault = faults.take(ctx.method, ctx.path);
    if (fault?.kind === 429) return throttled(ctx, 429, fault.retryAfterSec);
    if (fault?.kind === 500) {
      record.fault = 500;
      return sendError(
        ctx,
        500,
        'Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.',
        'System.Data.SqlClient.SqlException',
      );
    }
    if (fault?.kind === 'timeout') {
      record.fault = 'timeout';
      setTimeout(() => req.socket.destroy(), knobs.timeoutHoldMs).unref();
      return;
    }
    if (fault?.kind === 'commit_then_drop') ctx.dropInsteadOfAnswer = true;

    const seg = ctx.path.split('/').filter(Boolean).map(decodeURIComponent);
    const latency = (): Promise<void> => sleep(knobs.latencyMs);
    if (seg[0] !== 'entity' || seg.length < 4) await latency();
    if (seg[0] === 'identity') {
      if (ctx.method === 'POST' && seg.join('/') === 'identity/connect/token') return auth.token(ctx);
      if (ctx.method === 'GET' && seg.join('/') === 'identity/.well-known/openid-configuration')
        return send(ctx, 200, openIdConfiguration(req.headers.host));
      return notFound(ctx);
    }
    if (seg[0] !== 'entity') return notFound(ctx);
    if (seg.length === 1 && ctx.method === 'GET') return send(ctx, 200, endpointList(versions));
    if (seg[1] === 'auth' && seg.length === 3 && ctx.method === 'POST') {
      if (seg[2] === 'login') return auth.login(ctx);
      if (seg[2] === 'logout') return auth.logout(ctx);
    }
    // authentication runs before routing: any /entity/... path without valid auth is 401, even a bad version
    if (ctx.auth !== 'bearer' && ctx.auth !== 'cookie') return notLoggedIn(ctx);
    // holdNextCreate: the licence queue keeps the create (no core held), then carries it out.
    const hold =
      ctx.method === 'PUT' && seg[3] === 'JournalTransaction' && seg.length === 4 ? holds.shift() : undefined;
    if (hold) {
      record.heldMs = hold.ms;
      if (hold.dropConnection) {
        record.dropped = true;
        ctx.dropInsteadOfAnswer = true;
        req.socket.destroy();
      }
      holding++;
      try {
        await new Promise<void>((r) => setTimeout(r, hold.ms).unref());
      } finally {
        holding--;
      }
    }
    if (!(await licence.admit())) return throttled(ctx, 'throttled');
    try {
      await latency();
      if (seg.length < 4 || seg[1] !== 'Default' || !versions.includes(seg[2])) return notFound(ctx);
      ctx.version = seg[2];
      ctx.optimizationFailsOnLinkedFilter = knobs.optimizationFailsOnLinkedFilter;
      ctx.base = `/entity/Default/${seg[2]}`;
      journals.sweep();
      const isPoll = seg[3] === 'JournalTransaction' && seg[5] === 'status';
      if (!isPoll && journals.runningInSession(ctx.sessionId)) {
        return sendError(
          ctx,
          500,
          'The previous operation has not been completed yet. Wait for it to finish.',
          'PX.Api.ContractBased.OperationInProgressException',
        );
      }
      routeEntity(ctx, seg.slice(3), { store, knobs, journals, employees });
    } finally {
      licence.done();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            message: 'An error has occurred.',
            exceptionMessage: String(e),
            exceptionType: 'System.Exception',
          }),
        );
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const all = <R extends Plain>(list: Rec[]): R[] => list.map((r) => plain(r) as R);

  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    tenant,
    users,
    clients,
    versions,
    clock,
    advance: (ms) => clock.advance(ms),
    requests,
    stats,
    knobs,
    records: {
      journals: () => all<JournalRecord>(store.journals),
      journalsTagged: (tag) =>
        all<JournalRecord>(store.journals.filter((j) => String(j.f.Description ?? '').includes(tag))),
      employees: () => all<EmployeeRecord>(store.employees),
      accounts: () => all<AccountRecord>(store.accounts),
      subaccounts: () => all<SubaccountRecord>(store.subaccounts),
    },
    deactivateAccount: (cd) => store.setAccountActive(cd, false),
    activateAccount: (cd) => store.setAccountActive(cd, true),
    setSubaccountActive: (cd, active) => store.setSubaccountActive(cd, active),
    editEmployee: (id, edit) => employees.editByHand(id, edit),
    liveSessions: () => auth.liveSessions().length,
    resetPassword: (username, newPassword, o = {}) => auth.resetPassword(username, newPassword, o.endSessions ?? true),
    revokeClient: (clientId, o = {}) => auth.revokeClient(clientId, o.remove ?? true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
