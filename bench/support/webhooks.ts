/** Signed Gusto webhooks sent by a benchmark itself (instead of the Gusto sandbox's one-at-a-time queue). */
import { createHmac, randomUUID } from 'node:crypto';
import { WEBHOOK_TOKEN } from './harness';

/** A `payroll.processed` event for one company's payroll, stamped now, with a fresh UUID. */
export function webhookBody(companyUuid: string, payrollUuid: string): string {
  return JSON.stringify({
    uuid: randomUUID(),
    event_type: 'payroll.processed',
    resource_type: 'Company',
    resource_uuid: companyUuid,
    entity_type: 'Payroll',
    entity_uuid: payrollUuid,
    timestamp: Math.floor(Date.now() / 1000),
  });
}

/** POSTs `body` to the service's webhook route, signed as Gusto does; the answer's status. */
export async function sendWebhook(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/webhooks/gusto`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gusto-signature': createHmac('sha256', WEBHOOK_TOKEN).update(body).digest('hex'),
    },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  await res.text();
  return res.status;
}
