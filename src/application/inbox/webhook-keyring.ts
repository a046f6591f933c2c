import { createHash } from 'node:crypto';
import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import type { SealedSecret, Vault } from '../ports/vault.port';
import { WEBHOOK_KEY_STREAM, deterministicEventId } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { Throttle } from './throttle';

/** What is stored about the verification token: sealed, plus a short fingerprint people can compare. */
interface TokenAdopted {
  fingerprint: string;
  sealed: SealedSecret;
  at: string;
}
interface TokenNotAdopted {
  fingerprint: string;
  reason: 'configured_token_takes_precedence' | 'another_token_already_adopted';
  at: string;
}

const ASSOCIATED_DATA = 'gusto-webhook-verification-token';
const RELOAD_EVERY_MS = 5_000;

export const fingerprintOf = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 12);

export type VerificationOutcome = 'adopted' | 'already_known' | 'configured_token_takes_precedence' | 'another_token_already_adopted';

/**
 * The key for `X-Gusto-Signature`. Gusto's handshake (gusto.md §3.1) POSTs the subscription's
 * verification token — which is also the HMAC key — before the connector can know it, unsigned.
 *
 * - `GUSTO_WEBHOOK_VERIFICATION_TOKEN`, when set, is the only key: the operator's word wins, and a
 *   handshake then changes nothing (it is recorded by fingerprint so a mismatch can be diagnosed).
 * - Otherwise the first handshake's token is adopted (trust on first use), sealed with the vault and
 *   stored as an event, so every instance and every restart uses it. A later, different token is not
 *   adopted — anyone can POST a handshake, and replacing the key on request would let them forge events;
 *   the operator sets the env variable to move to a new subscription's token.
 */
export class WebhookKeyring {
  private adopted: string | undefined;
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  /** Anyone can POST a handshake: record (and log) rejected tokens a few times an hour, not at the caller's rate. */
  private readonly rejections: Throttle;

  constructor(
    private readonly store: EventStore,
    private readonly vault: Pick<Vault, 'seal' | 'open'>,
    private readonly clock: Clock,
    private readonly logger: InboxLogger,
    private readonly configuredToken?: string,
    /** Told every adopted token, so the logger can scrub it wherever it might appear. */
    private readonly onSecret: (secret: string) => void = () => undefined,
  ) {
    this.rejections = new Throttle(10, 3_600_000, () => this.clock.now().getTime());
  }

  /** Keys to try, in order. Empty until a token is configured or adopted: every event is then refused. */
  async keys(): Promise<string[]> {
    if (this.configuredToken) return [this.configuredToken];
    // Another instance may have adopted a token since we looked; re-read now and then, never per request.
    if (this.adopted === undefined && this.clock.now().getTime() - this.loadedAt >= RELOAD_EVERY_MS) await this.load();
    return this.adopted === undefined ? [] : [this.adopted];
  }

  async onVerificationToken(token: string): Promise<VerificationOutcome> {
    const fingerprint = fingerprintOf(token);
    const at = this.clock.now().toISOString();
    if (this.configuredToken) {
      if (token === this.configuredToken) return 'already_known';
      if (!(await this.recordNotAdopted({ fingerprint, reason: 'configured_token_takes_precedence', at }))) return 'configured_token_takes_precedence';
      this.logger.warn('a Gusto webhook verification token arrived that differs from GUSTO_WEBHOOK_VERIFICATION_TOKEN; the configured one stays in use', {
        fingerprint,
        configuredFingerprint: fingerprintOf(this.configuredToken),
      });
      return 'configured_token_takes_precedence';
    }
    await this.load();
    if (this.adopted === token) return 'already_known';
    if (this.adopted !== undefined) {
      if (!(await this.recordNotAdopted({ fingerprint, reason: 'another_token_already_adopted', at }))) return 'another_token_already_adopted';
      this.logger.warn('a second Gusto webhook verification token arrived and was not adopted; set GUSTO_WEBHOOK_VERIFICATION_TOKEN to switch', {
        fingerprint,
        adoptedFingerprint: fingerprintOf(this.adopted),
      });
      return 'another_token_already_adopted';
    }
    const data: TokenAdopted = { fingerprint, sealed: this.vault.seal(token, ASSOCIATED_DATA), at };
    // Same id for the same token: a resent handshake is an idempotent repeat. 'no_stream' makes the first one win.
    try {
      await this.store.append(
        WEBHOOK_KEY_STREAM,
        [{ id: deterministicEventId('webhook-token', fingerprint), type: 'WebhookVerificationTokenAdopted', data, metadata: { actor: 'webhook', at } }],
        'no_stream',
      );
    } catch (error) {
      if ((error as { code?: string }).code !== 'wrong_expected_revision') throw error;
    }
    this.loadedAt = -Infinity;
    await this.load();
    const outcome: VerificationOutcome = this.adopted === token ? 'adopted' : 'another_token_already_adopted';
    this.logger.info('Gusto webhook verification token received; confirm it in Gusto (PUT /v1/webhook_subscriptions/{uuid}/verify) to start events', {
      fingerprint,
      outcome,
    });
    return outcome;
  }

  private async recordNotAdopted(data: TokenNotAdopted): Promise<boolean> {
    if (!this.rejections.pass().ok) return false;
    await this.store.append(
      WEBHOOK_KEY_STREAM,
      [{ id: deterministicEventId('webhook-token-not-adopted', data.fingerprint, data.reason), type: 'WebhookVerificationTokenNotAdopted', data, metadata: { actor: 'webhook', at: data.at } }],
      'any',
    );
    return true;
  }

  private async load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const events = await this.store.readStream(WEBHOOK_KEY_STREAM);
        const first = events.find((e) => e.type === 'WebhookVerificationTokenAdopted');
        if (first) {
          this.adopted = this.vault.open((first.data as TokenAdopted).sealed, ASSOCIATED_DATA);
          this.onSecret(this.adopted);
        }
        this.loadedAt = this.clock.now().getTime();
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }
}
