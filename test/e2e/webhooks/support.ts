import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { EventStore, RecordedEvent } from '../../../src/application/ports/event-store.port';
import { EVENT_STORE } from '../../../src/application/ports/event-store.port';
import type { TestService } from '../../support/service';

export const WEBHOOK_TOKEN = 'test-webhook-verification-token'; // testEnv's GUSTO_WEBHOOK_VERIFICATION_TOKEN

export const sign = (body: string | Buffer, token = WEBHOOK_TOKEN): string => createHmac('sha256', token).update(body).digest('hex');

export const gustoEvent = (uuid: string, fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    uuid,
    event_type: 'payroll.processed',
    resource_type: 'Company',
    resource_uuid: '4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13',
    entity_type: 'Payroll',
    entity_uuid: 'c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48',
    timestamp: 1769017503,
    ...fields,
  });

export async function postWebhook(service: TestService, body: string | Buffer, signature: string | null = sign(body), contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== null) headers['x-gusto-signature'] = signature;
  const res = await fetch(`${service.url}/webhooks/gusto`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Sends `size` bytes with Transfer-Encoding: chunked (no Content-Length), in 64 KiB chunks. */
export function postChunked(url: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/gusto`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gusto-signature': 'ab'.repeat(32) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
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

export const streamOf = (service: TestService, stream: string): Promise<RecordedEvent[]> => storeOf(service).readStream(stream);

export async function metricValue(service: TestService, series: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

export const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
