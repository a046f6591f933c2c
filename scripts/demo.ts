/**
 * `npm run demo`: the service on a fresh embedded store, plus the Gusto and Acumatica sandboxes on
 * loopback. A demo company is connected through the real OAuth flow, its mapping is checked against the
 * sandbox's chart of accounts, the Gusto sandbox processes a payroll and sends its signed webhook, and the
 * demo waits until the journal is posted (bank cash mode: one cash line per Gusto withdrawal), then prints
 * the journal, the audit trail and the tie-out of the payroll (every withdrawal beside its journal line, all
 * differences 0.00). Exit 0 on success, non-zero with the reason otherwise.
 *
 * `npm run demo -- --serve`: then the service and the sandboxes keep running (on $PORT, else 3000 if free)
 * and the console's URL and an admin API key to sign in with are printed (scripts/demo-serve.ts).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/bootstrap';
import { startGustoSandbox } from '../src/sandbox/gusto';
import { startAcumaticaSandbox } from '../src/sandbox/acumatica';
import { DEMO_MAPPING, printAudit, printJournal, printTieOut } from './demo-output';
import { pickPort, serveRequested, serveUntilStopped } from './demo-serve';

const GUSTO_CLIENT = { id: 'demo-gusto-client', secret: randomBytes(16).toString('hex') };
const WEBHOOK_TOKEN = randomBytes(16).toString('hex');
const ACUMATICA = {
  tenant: 'AcmeCorp',
  clientId: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@AcmeCorp',
  clientSecret: 'sandbox-client-secret',
  username: 'api.gusto',
  password: 'Sandbox-Passw0rd!',
};
const TIMEOUT_MS = 60_000;

class DemoFailure extends Error {}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-connector-demo-'));
  const gusto = await startGustoSandbox({
    clientId: GUSTO_CLIENT.id,
    clientSecret: GUSTO_CLIENT.secret,
    verificationToken: WEBHOOK_TOKEN,
  });
  const acumatica = await startAcumaticaSandbox();
  const serve = serveRequested();
  // Serving, the browser follows the OAuth redirect itself: it must name the port the service listens on.
  const port = serve ? await pickPort() : 0;
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: String(port),
    ...(serve ? { GUSTO_REDIRECT_URI: `http://127.0.0.1:${port}/oauth/gusto/callback` } : {}),
    EVENT_STORE_URL: `sqlite:${join(dataDir, 'ml-connector.db')}`,
    MLC_DATA_DIR: dataDir,
    MLC_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    MLC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    GUSTO_CLIENT_ID: GUSTO_CLIENT.id,
    GUSTO_CLIENT_SECRET: GUSTO_CLIENT.secret,
    GUSTO_WEBHOOK_VERIFICATION_TOKEN: WEBHOOK_TOKEN,
    MLC_ACUMATICA_ALLOWED_HOSTS: '127.0.0.1,localhost', // the Acumatica sandbox
    GUSTO_API_BASE_URL: gusto.url,
    LOG_LEVEL: 'error',
  });
  const app = await createApp(config, { logSink: () => undefined });
  await app.listen(port, '127.0.0.1');
  const service = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const say = (line: string) => process.stdout.write(line + '\n');

  const api = async (
    method: string,
    path: string,
    body?: unknown,
    auth = true,
  ): Promise<{ status: number; body: any; headers: Headers }> => {
    const res = await fetch(`${service}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(auth ? { authorization: `Bearer ${config.adminToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* a redirect or plain-text answer */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const expect = (ok: boolean, what: string, detail: unknown) => {
    if (!ok) throw new DemoFailure(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  };

  try {
    say(`ml-connector demo — service ${service}, Gusto sandbox ${gusto.url}, Acumatica sandbox ${acumatica.url}`);
    say(`embedded event store: ${join(dataDir, 'ml-connector.db')}\n`);

    const company = gusto.scenario.createCompany({ name: 'Acme Payroll Co' } as never);
    const created = await api('POST', '/api/connections', {
      name: 'Acme Payroll Co',
      acumatica: {
        baseUrl: acumatica.url,
        tenant: ACUMATICA.tenant,
        branch: 'HEADOFFICE',
        endpointVersion: '24.200.001',
        auth: {
          kind: 'oauth2',
          clientId: ACUMATICA.clientId,
          clientSecret: ACUMATICA.clientSecret,
          username: ACUMATICA.username,
          password: ACUMATICA.password,
        },
      },
    });
    expect(created.status === 201, 'create connection', created.body);
    const connectionId = created.body.id as string;
    say(`1. connection ${connectionId} created`);

    // The browser's part of OAuth: our authorize → Gusto's consent (the sandbox approves) → our callback.
    const start = await api('GET', `/api/connections/${connectionId}/gusto/authorize?companyUuid=${company.uuid}`);
    expect(start.status === 302, 'start Gusto authorization', start.body);
    const consent = new URL(start.headers.get('location')!);
    consent.searchParams.set('company_uuid', company.uuid);
    const approved = await fetch(consent, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location')!);
    const done = await api('GET', `/oauth/gusto/callback?${callback.searchParams.toString()}`, undefined, false);
    expect(done.status === 200, 'Gusto authorization callback', done.body);
    say(`2. Gusto company ${company.uuid} authorized (OAuth code flow)`);

    const ping = await api('POST', `/api/connections/${connectionId}/ping`);
    expect(ping.status === 200 && ping.body.gusto?.ok && ping.body.acumatica?.ok, 'ping', ping.body);
    say(`3. ping: Gusto ok, Acumatica ok (endpoint ${ping.body.acumatica.endpointVersion})`);

    const mapping = await api('PUT', `/api/connections/${connectionId}/mapping`, DEMO_MAPPING);
    expect(mapping.status === 200, 'account mapping', mapping.body);
    say('4. account mapping accepted (bank cash mode): every account and subaccount exists and is active in Acumatica');

    gusto.scenario.createSubscription({ url: `${service}/webhooks/gusto` });
    // One employee paid by paper check and one with a child support garnishment, beside 10 drawn at random.
    gusto.scenario.createEmployee(company.uuid, { paymentMethod: 'Check' }, true);
    gusto.scenario.createEmployee(company.uuid, { paymentMethod: 'Direct Deposit', childSupport: '125.00' }, true);
    const payroll = gusto.scenario.runPayroll(company.uuid, { employees: 12 } as never) as unknown as {
      uuid: string;
      check_date: string;
    };
    say(`5. Gusto processed payroll ${payroll.uuid} for 12 employees and sent payroll.processed (signed)\n`);

    const postingId = encodeURIComponent(`${connectionId}:${payroll.uuid}`);
    const deadline = Date.now() + TIMEOUT_MS;
    let posting: any;
    for (;;) {
      const res = await api('GET', `/api/postings/${postingId}`);
      posting = res.status === 200 ? res.body : undefined;
      if (posting?.status === 'posted') break;
      if (posting?.status === 'needs_attention')
        throw new DemoFailure(`posting needs attention: ${JSON.stringify(posting.lastError)}`);
      if (Date.now() > deadline)
        throw new DemoFailure(
          `posting not posted within ${TIMEOUT_MS / 1000} s; last seen: ${JSON.stringify(posting ?? res.body)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }

    const stored = acumatica.records.journalsTagged(`gusto:${payroll.uuid}`);
    expect(stored.length === 1, 'exactly one journal in Acumatica', `${stored.length} journals carry the tag`);
    printJournal(say, posting, stored[0]);
    const events = await api('GET', `/api/postings/${postingId}/events`);
    expect(events.status === 200, 'audit trail', events.body);
    printAudit(say, events.body.items ?? events.body);
    expect(posting.journal.totals.debit === posting.journal.totals.credit, 'balanced journal', posting.journal.totals);
    const tieOut = await api(
      'GET',
      `/api/connections/${connectionId}/tie-out?from=${payroll.check_date}&to=${payroll.check_date}`,
    );
    expect(tieOut.status === 200, 'tie-out report', tieOut.body);
    printTieOut(say, tieOut.body);
    const row = tieOut.body.payrolls.find((p: any) => p.payrollUuid === payroll.uuid);
    expect(row !== undefined && row.cashMode === 'bank', 'the payroll in the tie-out, in bank mode', row);
    expect(
      row.ties.every((t: any) => t.difference === '0.00') && row.differences.length === 0,
      'every difference 0.00',
      row.differences,
    );
    const writes = gusto.nonGetDataRequests();
    expect(writes.length === 0, 'Gusto is read-only', writes);
    if (!serve) {
      say(
        '\nDemo complete: one balanced journal posted in bank mode, tied out to every Gusto withdrawal, Gusto only read. Exit 0.',
      );
      return;
    }
    say(
      '\nDemo complete: one balanced journal posted in bank mode, tied out to every Gusto withdrawal, Gusto only read.',
    );
    const key = await api('POST', '/api/keys', { name: 'demo console admin', role: 'admin', connections: '*' });
    expect(key.status === 201, 'admin API key for the console', key.body);
    await serveUntilStopped(say, {
      service,
      gusto: gusto.url,
      acumatica: acumatica.url,
      consoleDir: config.consoleDir,
      adminKey: key.body.secret,
      connectionId,
      companyUuid: company.uuid,
      postingId: `${connectionId}:${payroll.uuid}`,
    });
  } finally {
    await app.close();
    await gusto.close();
    await acumatica.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\ndemo failed: ${error instanceof DemoFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
