import type { Clock } from '../ports/clock.port';
import { WrongExpectedRevisionError, type EventStore } from '../ports/event-store.port';
import { CONNECTOR_METRICS, type MetricsRegistry } from '../metrics/metrics.port';
import { deterministicEventId, inboxStream, type GustoWebhookEvent, type GustoWebhookReceived } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { Throttle } from './throttle';
import { exceedsDepth } from './json-guard';
import { parseWebhookJson, readJson, verificationTokenOfJson } from './webhook-body';
import type { WebhookKeyring } from './webhook-keyring';
import { signatureMatchesAny } from './webhook-signature';

export type WebhookOutcome = 'accepted' | 'duplicate' | 'verification' | 'bad_signature' | 'malformed';

/** What became of a delivery; the HTTP adapter maps each outcome to a status. */
export interface IntakeResult {
  outcome: WebhookOutcome;
  /** For 400: what is wrong with the body (the schema's words only: nothing of the body is echoed). */
  reason?: string;
  /** For 400: the field at fault (`body` when the body as a whole is). */
  field?: string;
  eventUuid?: string;
}

/**
 * The webhook's synchronous half: authenticate, validate, record in the inbox, answer. Nothing here
 * waits for Gusto or Acumatica — the dispatcher picks the recorded event up from the store.
 */
export class WebhookIntake {
  /** In-process single flight per event uuid, so concurrent duplicates are told apart from the first delivery. */
  private readonly inFlight = new Map<string, Promise<'accepted' | 'duplicate'>>();

  constructor(
    private readonly store: EventStore,
    private readonly keyring: WebhookKeyring,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
    private readonly logger: InboxLogger,
    /** Gusto may not accept the verify call before it has our 200 to its POST: wait a moment. */
    private readonly verifyAfterMs = 500,
  ) {}

  /** Refusals are logged a few times a minute at most; the counter has the exact number. */
  private readonly refusalLog = new Throttle(5, 60_000, () => this.clock.now().getTime());

  /** The last handshake completion started (tests wait on it). */
  lastHandshake: Promise<void> = Promise.resolve();

  async receive(rawBody: Buffer, signatureHeader: string | undefined): Promise<IntakeResult> {
    const result = await this.handle(rawBody, signatureHeader);
    this.metrics.counter(CONNECTOR_METRICS.webhooks).inc({ outcome: result.outcome });
    return result;
  }

  /** Counted by the HTTP layer when a body is refused before it reaches `receive` (over 1 MiB). */
  countTooLarge(): void {
    this.metrics.counter(CONNECTOR_METRICS.webhooks).inc({ outcome: 'too_large' });
  }

  private async handle(rawBody: Buffer, signatureHeader: string | undefined): Promise<IntakeResult> {
    // Before anything parses the body, signed or not: its nesting depth (one linear pass over the bytes).
    if (exceedsDepth(rawBody)) return { outcome: 'malformed', reason: 'JSON nested too deeply', field: 'body' };
    const keys = await this.keyring.keys();
    const authentic = keys.length > 0 && signatureMatchesAny(rawBody, signatureHeader, keys);
    if (!authentic) {
      // The handshake is the one request that cannot be signed with a key we know yet.
      const json = readJson(rawBody);
      const token = json.ok ? verificationTokenOfJson(json.value) : null;
      if (token !== null) return this.handshake(token);
      const log = this.refusalLog.pass();
      if (log.ok) {
        this.logger.warn('webhook refused: missing or bad X-Gusto-Signature', {
          signaturePresent: signatureHeader !== undefined,
          keyKnown: keys.length > 0,
          suppressedSinceLast: log.suppressed,
        });
      }
      return { outcome: 'bad_signature' };
    }
    const json = readJson(rawBody);
    if (!json.ok) return { outcome: 'malformed', reason: json.reason, field: 'body' };
    const parsed = parseWebhookJson(json.value, this.clock.now());
    switch (parsed.kind) {
      case 'malformed':
        return { outcome: 'malformed', reason: parsed.reason, ...(parsed.field ? { field: parsed.field } : {}) };
      case 'verification':
        return this.handshake(parsed.verificationToken);
      case 'event': {
        const outcome = await this.recordOnce(parsed.event);
        return { outcome, eventUuid: parsed.event.uuid };
      }
      default: {
        const unexpected: never = parsed;
        throw new Error(`unhandled body kind ${String(unexpected)}`);
      }
    }
  }

  /**
   * Step 1 is answering 200 (whatever the keyring decides: a stranger learns nothing from the answer);
   * step 2, confirming the token to Gusto, runs after the answer — for the configured or adopted token,
   * or for one awaiting confirmation inside an admin's handshake window (Gusto's acceptance adopts it).
   */
  private async handshake(token: string): Promise<IntakeResult> {
    const outcome = await this.keyring.onVerificationToken(token);
    if (outcome === 'awaiting_confirmation' || outcome === 'already_known') {
      this.lastHandshake = new Promise<void>((resolve) => setTimeout(resolve, this.verifyAfterMs)).then(async () => {
        await this.keyring
          .confirm(token)
          .catch((error: unknown) =>
            this.logger.warn('handshake confirmation failed', { error: (error as Error).message }),
          );
      });
    }
    return { outcome: 'verification' };
  }

  private recordOnce(event: GustoWebhookEvent): Promise<'accepted' | 'duplicate'> {
    const running = this.inFlight.get(event.uuid);
    if (running) return running.then(() => 'duplicate' as const);
    const attempt = this.record(event).finally(() => this.inFlight.delete(event.uuid));
    this.inFlight.set(event.uuid, attempt);
    return attempt;
  }

  private async record(event: GustoWebhookEvent): Promise<'accepted' | 'duplicate'> {
    const stream = inboxStream(event.uuid);
    // A redelivery finds the stream; reading first is what lets us count it as a duplicate.
    if ((await this.store.readStream(stream)).length > 0) return 'duplicate';
    const receivedAt = this.clock.now().toISOString();
    const data: GustoWebhookReceived = {
      eventUuid: event.uuid,
      eventType: event.event_type,
      companyUuid: event.resource_uuid,
      ...(event.entity_type ? { entityType: event.entity_type } : {}),
      entityUuid: event.entity_uuid,
      ...occurredAt(event.timestamp),
      receivedAt,
      body: event,
    };
    try {
      // 'no_stream' plus a deterministic id: another instance's concurrent copy is either refused or an idempotent repeat.
      await this.store.append(
        stream,
        [
          {
            id: deterministicEventId('gusto-webhook', event.uuid),
            type: 'GustoWebhookReceived',
            data,
            metadata: { correlationId: event.uuid, causationId: event.uuid, actor: 'webhook', at: receivedAt },
          },
        ],
        'no_stream',
      );
    } catch (error) {
      if (
        error instanceof WrongExpectedRevisionError ||
        (error as { code?: string }).code === 'wrong_expected_revision'
      )
        return 'duplicate';
      throw error;
    }
    this.logger.info('webhook recorded', {
      eventUuid: event.uuid,
      eventType: event.event_type,
      companyUuid: event.resource_uuid,
    });
    return 'accepted';
  }
}

/** Gusto's epoch-seconds timestamp as ISO 8601; an out-of-range value is dropped, not fatal. */
function occurredAt(timestamp: number | undefined): { occurredAt?: string } {
  if (timestamp === undefined) return {};
  const at = new Date(timestamp * 1000);
  return Number.isFinite(at.getTime()) ? { occurredAt: at.toISOString() } : {};
}
