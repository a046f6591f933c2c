import { waitFor as sharedWaitFor } from '../../support/wait';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { EventStore, RecordedEvent } from '../../../src/application/ports/event-store.port';
import { EVENT_STORE } from '../../../src/application/ports/event-store.port';
import type { TestService } from '../../support/service';
import { deterministicEventId } from '../../../src/application/inbox/inbox-events';

export const WEBHOOK_TOKEN = 'test-webhook-verification-token'; // testEnv's GUSTO_WEBHOOK_VERIFICATION_TOKEN

export const sign = (body: string | Buffer, token = WEBHOOK_TOKEN): string =>
  createHmac('sha256', token).update(body).digest('hex');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Gusto's ids are UUIDs (anything else is refused): tests name events readably, each name a fixed UUID. */
export const eventId = (name: string): string => (UUID.test(name) ? name : deterministicEventId('e2e', name));

/** A Gusto event body stamped now (the intake refuses timestamps more than 30 days away). */
export const gustoEvent = (uuid: string, fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    uuid: eventId(uuid),
    event_type: 'payroll.processed',
    resource_type: 'Company',
    resource_uuid: '4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13',
    entity_type: 'Payroll',
    entity_uuid: 'c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48',
    timestamp: Math.floor(Date.now() / 1000),
    ...fields,
  });

export async function postWebhook(
  service: TestService,
  body: string | Buffer,
  signature: string | null = sign(body),
  contentType = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== null) headers['x-gusto-signature'] = signature;
  const res = await fetch(`${service.url}/webhooks/gusto`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Sends `size` bytes with Transfer-Encoding: chunked (no Content-Length), in 64 KiB chunks. */
export function postChunked(url: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/webhooks/gusto`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-gusto-signature': 'ab'.repeat(32) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer 413 and close while we are still writing; the answer already arrived.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

export const storeOf = (service: TestService): EventStore => service.app.get<EventStore>(EVENT_STORE);

export const streamOf = (service: TestService, stream: string): Promise<RecordedEvent[]> =>
  storeOf(service).readStream(stream);

export async function metricValue(service: TestService, series: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The shared waitFor (test/support/wait.ts) with this folder's argument order: condition first. */
export const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> => {
  await sharedWaitFor(what, condition, timeoutMs);
};

/** A connection authorized for `companyUuid` through the real OAuth flow against the Gusto sandbox. */
export async function connectCompany(
  service: TestService,
  scenario: { authorizeNext(companyUuid: string): void },
  companyUuid: string,
  name = 'Demo',
): Promise<string> {
  const headers = { ...service.auth, 'content-type': 'application/json' };
  const acumatica = {
    baseUrl: 'http://127.0.0.1:9',
    tenant: 'Demo',
    endpointVersion: '24.200.001',
    auth: { kind: 'cookie', username: 'admin', password: 'not-used-here' },
  };
  const created = await fetch(`${service.url}/api/connections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name, acumatica }),
  });
  if (created.status !== 201) throw new Error(`create connection: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  scenario.authorizeNext(companyUuid);
  const toGusto = await fetch(`${service.url}/api/connections/${id}/gusto/authorize?companyUuid=${companyUuid}`, {
    headers: service.auth,
    redirect: 'manual',
  });
  const approved = await fetch(toGusto.headers.get('location')!, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  const callback = await fetch(`${service.url}/oauth/gusto/callback${back.search}`);
  if (callback.status !== 200) throw new Error(`callback: ${callback.status} ${await callback.text()}`);
  return id;
}
