import type { Clock } from '../ports/clock.port';
import { WrongExpectedRevisionError, type EventStore } from '../ports/event-store.port';
import type { Vault } from '../ports/vault.port';
import { WEBHOOK_KEY_STREAM } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { manualVerification, type WebhookSubscriptionVerifier } from './subscription-verifier';
import { Throttle } from './throttle';
import { required } from '../../domain/shared/required';
import {
  fingerprintOf,
  foldKeyHistory,
  subscriptionVerifiedEvents,
  tokenAdoptedEvent,
  tokenNotAdoptedEvent,
  windowOpenedEvent,
  type NotAdoptedReason,
  type OpenWindow,
  type TokenAdopted,
  type TokenNotAdopted,
  type WindowOpened,
} from './webhook-key-history';

import type { KeyringStatus, OpenWindowResult, VerificationOutcome } from './webhook-keyring-answers';

export { fingerprintOf, type NotAdoptedReason } from './webhook-key-history';
export type { KeySource, KeyringStatus, OpenWindowResult, VerificationOutcome } from './webhook-keyring-answers';

const ASSOCIATED_DATA = 'gusto-webhook-verification-token';
const RELOAD_EVERY_MS = 5_000;
/** How long `POST /api/webhooks/gusto/handshake` lets a handshake be considered. */
export const HANDSHAKE_WINDOW_MS = 10 * 60_000;

interface Loaded {
  adopted?: { token: string; fingerprint: string };
  window?: OpenWindow;
  revision: bigint | 'no_stream';
}

/**
 * The key for `X-Gusto-Signature`. Gusto's handshake (gusto.md §3.1) POSTs the subscription's
 * verification token — which is also the HMAC key — unsigned, before the connector can know it. So an
 * unsigned request can never set the key by itself:
 *
 * - `GUSTO_WEBHOOK_VERIFICATION_TOKEN`, when set, is the only key (required in production). A handshake
 *   then changes nothing; a different token is recorded by fingerprint so a mismatch can be diagnosed.
 * - Otherwise a handshake token becomes the key only when (1) an admin has opened the handshake window
 *   (`POST /api/webhooks/gusto/handshake`, 10 minutes), and (2) Gusto itself confirms the token: the
 *   subscription verify call (`PUT /v1/webhook_subscriptions/{uuid}/verify`) succeeds with it. The
 *   adoption is an event (sealed token, fingerprint, confirmed subscriptions, the admin who opened the
 *   window) and consumes the window; replacing the key takes the same two steps again.
 * - An adoption recorded by an earlier version without Gusto's confirmation (trust on first use) is no
 *   longer trusted: anyone could have sent it.
 */
export class WebhookKeyring {
  private loaded: Loaded = { revision: 'no_stream' };
  private loadedAt = -Infinity;
  private loading: Promise<Loaded> | undefined;
  /** Anyone can POST a handshake: record (and log) refused tokens a few times an hour, not at the caller's rate. */
  private readonly rejections: Throttle;
  private warnedLegacy = false;

  constructor(
    private readonly store: EventStore,
    private readonly vault: Pick<Vault, 'seal' | 'open'>,
    private readonly clock: Clock,
    private readonly logger: InboxLogger,
    private readonly configuredToken?: string,
    /** Told every adopted token, so the logger can scrub it wherever it might appear. */
    private readonly onSecret: (secret: string) => void = () => undefined,
    private readonly verifier: WebhookSubscriptionVerifier = manualVerification,
  ) {
    this.rejections = new Throttle(10, 3_600_000, () => this.clock.now().getTime());
  }

  /** Keys to try, in order. Empty until a token is configured or adopted: every event is then refused. */
  async keys(): Promise<string[]> {
    if (this.configuredToken) return [this.configuredToken];
    // Another instance may have adopted (or replaced) the key since we looked: re-read now and then, never per request.
    if (this.clock.now().getTime() - this.loadedAt >= RELOAD_EVERY_MS) await this.load();
    return this.loaded.adopted ? [this.loaded.adopted.token] : [];
  }

  async status(): Promise<KeyringStatus> {
    if (this.configuredToken) return { source: 'configured', fingerprint: fingerprintOf(this.configuredToken) };
    const loaded = await this.load();
    return {
      source: loaded.adopted ? 'adopted' : 'none',
      ...(loaded.adopted ? { fingerprint: loaded.adopted.fingerprint } : {}),
      ...(loaded.window ? { handshakeWindowOpenUntil: loaded.window.until } : {}),
    };
  }

  /** An admin's go-ahead: for the next 10 minutes a handshake token may become the key, once Gusto confirms it. */
  async openHandshakeWindow(actor: string, actorName?: string): Promise<OpenWindowResult> {
    if (this.configuredToken) return { ok: false, error: 'configured_token_in_use' };
    const at = this.clock.now();
    const until = new Date(at.getTime() + HANDSHAKE_WINDOW_MS).toISOString();
    const data: WindowOpened = { until, at: at.toISOString() };
    await this.store.append(WEBHOOK_KEY_STREAM, [windowOpenedEvent(data, actor, actorName)], 'any');
    this.loadedAt = -Infinity;
    this.logger.info('Gusto webhook handshake window opened', { until, actor });
    return { ok: true, until };
  }

  /** Step 1 of a handshake (the unsigned POST): decides whether the token may be confirmed with Gusto. */
  async onVerificationToken(token: string): Promise<VerificationOutcome> {
    const fingerprint = fingerprintOf(token);
    if (this.configuredToken) {
      if (token === this.configuredToken) return 'already_known';
      await this.refuse(
        fingerprint,
        'configured_token_takes_precedence',
        'a Gusto webhook verification token arrived that differs from GUSTO_WEBHOOK_VERIFICATION_TOKEN; the configured one stays in use',
      );
      return 'configured_token_takes_precedence';
    }
    const loaded = await this.load(true);
    if (loaded.adopted?.token === token) return 'already_known';
    if (!loaded.window) {
      await this.refuse(
        fingerprint,
        'no_handshake_window',
        'a Gusto webhook verification token arrived while no handshake window was open; it was not adopted (open the handshake window, then ask Gusto to resend it)',
      );
      return 'no_handshake_window';
    }
    return 'awaiting_confirmation';
  }

  /**
   * Step 2, after our 200 reached Gusto: confirms the token with Gusto (verify call). For a token awaiting
   * confirmation, Gusto's acceptance is what makes it the key; a token Gusto does not accept is recorded
   * as not adopted. Returns the subscriptions Gusto verified.
   */
  async confirm(token: string): Promise<string[]> {
    const fingerprint = fingerprintOf(token);
    let verified: string[];
    try {
      verified = await this.verifier.verifyPending(token);
    } catch (error) {
      this.logger.warn(
        'could not verify the Gusto webhook subscription; verify it in the Developer Portal or re-request the token',
        { fingerprint, error: (error as Error).message },
      );
      return [];
    }
    const at = this.clock.now().toISOString();
    if (!this.configuredToken) {
      const loaded = await this.load(true);
      if (loaded.adopted?.token !== token) {
        if (verified.length === 0 || !loaded.window) {
          await this.refuse(
            fingerprint,
            'not_confirmed_by_gusto',
            'Gusto did not confirm the webhook verification token (no pending subscription accepted it); it was not adopted',
          );
          return verified;
        }
        await this.adopt(token, fingerprint, verified, loaded, at);
      }
    }
    if (verified.length > 0) {
      await this.store.append(WEBHOOK_KEY_STREAM, subscriptionVerifiedEvents(verified, fingerprint, at), 'any');
    }
    this.logger.info(
      verified.length > 0
        ? 'Gusto webhook subscription verified'
        : 'no pending Gusto webhook subscription to verify (or verification is manual)',
      { fingerprint, subscriptions: verified },
    );
    return verified;
  }

  private async adopt(
    token: string,
    fingerprint: string,
    confirmed: string[],
    loaded: Loaded,
    at: string,
  ): Promise<void> {
    const approvedBy = required(loaded.window, 'the open handshake window').actor;
    const data: TokenAdopted = {
      fingerprint,
      sealed: this.vault.seal(token, ASSOCIATED_DATA),
      at,
      confirmedSubscriptions: confirmed,
      approvedBy,
    };
    try {
      // At the revision read: of two instances confirming at once, one adopts; the other re-reads and sees it.
      await this.store.append(
        WEBHOOK_KEY_STREAM,
        [tokenAdoptedEvent(data, approvedBy, loaded.revision)],
        loaded.revision,
      );
      this.logger.info('Gusto webhook verification token adopted: confirmed by Gusto, within the handshake window', {
        fingerprint,
        approvedBy,
        subscriptions: confirmed,
      });
    } catch (error) {
      if (
        !(error instanceof WrongExpectedRevisionError) &&
        (error as { code?: string }).code !== 'wrong_expected_revision'
      )
        throw error;
    }
    await this.load(true);
  }

  private async refuse(fingerprint: string, reason: NotAdoptedReason, message: string): Promise<void> {
    if (!this.rejections.pass().ok) return;
    const at = this.clock.now().toISOString();
    const data: TokenNotAdopted = { fingerprint, reason, at };
    await this.store.append(WEBHOOK_KEY_STREAM, [tokenNotAdoptedEvent(data)], 'any');
    this.logger.warn(message, {
      fingerprint,
      ...(this.configuredToken ? { configuredFingerprint: fingerprintOf(this.configuredToken) } : {}),
    });
  }

  /** Folds the stream (small: one event per window, adoption and throttled refusal). */
  private async load(fresh = false): Promise<Loaded> {
    if (fresh) this.loadedAt = -Infinity;
    this.loading ??= (async () => {
      try {
        const events = await this.store.readStream(WEBHOOK_KEY_STREAM);
        this.loaded = this.fold(events);
        this.loadedAt = this.clock.now().getTime();
        return this.loaded;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private fold(events: Parameters<typeof foldKeyHistory>[0]): Loaded {
    const { adopted, window, legacy, revision } = foldKeyHistory(events, this.clock.now().getTime());
    if (legacy && !adopted && !this.warnedLegacy) {
      this.warnedLegacy = true;
      this.logger.warn(
        'a webhook verification token adopted without Gusto’s confirmation (trust on first use) is no longer trusted; set GUSTO_WEBHOOK_VERIFICATION_TOKEN, or open the handshake window and have Gusto resend the token',
        {},
      );
    }
    const token = adopted ? this.vault.open(adopted.sealed, ASSOCIATED_DATA) : undefined;
    if (token) this.onSecret(token);
    return {
      ...(adopted && token ? { adopted: { token, fingerprint: adopted.fingerprint } } : {}),
      ...(window ? { window } : {}),
      revision,
    };
  }
}
