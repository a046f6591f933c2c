/**
 * Webhook delivery: thin event bodies (reference §3.3) signed with X-Gusto-Signature = HMAC-SHA256 of the
 * raw body keyed by the subscription's verification token; at-least-once with bounded exponential retries;
 * knobs for duplicates, delay and reordering. Also the verification-token POST of the handshake.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { GustoEvent, Subscription } from './model';
import type { World } from './world';

const ALWAYS_SENT = new Set(['company.provisioned', 'company.deprovisioned']);

export class WebhookDispatcher {
  private queue: GustoEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly world: World) {}

  /** Records the event (for GET /v1/events and tests) and queues it for delivery unless `silent`. */
  emit(eventType: string, companyUuid: string, entityType: string, entityUuid: string, silent = false): GustoEvent {
    const event: GustoEvent = {
      uuid: this.world.rng.uuid(),
      event_type: eventType,
      resource_type: 'Company',
      resource_uuid: companyUuid,
      entity_type: entityType,
      entity_uuid: entityUuid,
      timestamp: this.world.clock.epochSeconds(),
    };
    this.world.events.push(event);
    if (silent || this.closed) return event;
    this.queue.push(event);
    if (!this.flushTimer) {
      this.inFlight++;
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        void this.flush().then(() => this.done());
      }, this.world.knobs.webhook.delayMs);
    }
    return event;
  }

  sign(body: string, token: string): string {
    return createHmac('sha256', token).update(body, 'utf8').digest(this.world.knobs.webhook.signatureEncoding);
  }

  /** Resolves once every queued delivery and pending retry has finished. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Handshake step 1: POST {verification_token} to the subscription URL. */
  sendVerification(sub: Subscription): void {
    const body = JSON.stringify({ verification_token: sub.verificationToken });
    const signature = this.world.knobs.webhook.signVerificationRequest ? this.sign(body, sub.verificationToken) : null;
    this.inFlight++;
    void this.post(sub.url, body, signature).then((status) => {
      this.world.deliveries.push({
        eventUuid: '',
        eventType: 'verification_token',
        url: sub.url,
        attempt: 1,
        status,
        body,
        signature: signature ?? '',
      });
      this.done();
    });
  }

  close(): void {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.inFlight = 0;
    this.done();
  }

  /** First attempts go out one at a time, in batch order, so ordering knobs are deterministic. */
  private async flush(): Promise<void> {
    const batch = this.queue.splice(0);
    if (this.world.knobs.webhook.reorder) batch.reverse();
    for (const event of batch) {
      const body = JSON.stringify(event);
      for (const sub of [...this.world.subscriptions.values()]) {
        if (sub.status !== 'verified' || !this.wants(sub, event)) continue;
        for (let copy = 0; copy <= this.world.knobs.webhook.duplicates; copy++) await this.attempt(sub, event, body, 1);
      }
    }
  }

  private wants(sub: Subscription, event: GustoEvent): boolean {
    return ALWAYS_SENT.has(event.event_type) || sub.subscriptionTypes.includes(event.entity_type);
  }

  private async attempt(sub: Subscription, event: GustoEvent, body: string, attempt: number): Promise<void> {
    if (this.closed) return;
    const signature = this.sign(body, sub.verificationToken);
    this.inFlight++;
    const status = await this.post(sub.url, body, signature);
    this.world.deliveries.push({
      eventUuid: event.uuid,
      eventType: event.event_type,
      url: sub.url,
      attempt,
      status,
      body,
      signature,
    });
    const ok = typeof status === 'number' && status >= 200 && status < 300;
    const knobs = this.world.knobs.webhook;
    if (!ok && attempt <= knobs.maxRetries && !this.closed) {
      const delay = Math.min(knobs.retryBaseMs * 2 ** (attempt - 1), 30_000);
      this.inFlight++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(sub, event, body, attempt + 1).then(() => this.done());
      }, delay);
      this.timers.add(timer);
    } else if (!ok) {
      sub.status = 'unreachable';
    }
    this.done();
  }

  private post(url: string, body: string, signature: string | null): Promise<number | 'error'> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (v: number | 'error') => {
        if (!settled) {
          settled = true;
          resolve(v);
        }
      };
      try {
        const headers: Record<string, string | number> = {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        };
        if (signature !== null) headers['x-gusto-signature'] = signature;
        const req = request(url, { method: 'POST', headers, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode ?? 0));
          res.on('error', () => finish('error'));
        });
        req.on('timeout', () => {
          req.destroy();
          finish('error');
        });
        req.on('error', () => finish('error'));
        req.end(body);
      } catch {
        finish('error');
      }
    });
  }

  private done(): void {
    if (this.inFlight > 0) this.inFlight--;
    if (this.inFlight === 0) for (const w of this.waiters.splice(0)) w();
  }
}
