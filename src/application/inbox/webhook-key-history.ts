/**
 * The webhook signing key's history, `webhook-verification-gusto` (`webhook-keyring.ts` writes it): its
 * events, and the pure fold of them into the open handshake window and the adopted (sealed) token.
 */
import { createHash } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../ports/event-store.port';
import type { SealedSecret } from '../ports/vault.port';
import { deterministicEventId } from './inbox-events';

export const fingerprintOf = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 12);

/** The events of the keyring's stream (`webhook-verification-gusto`). */
export interface WindowOpened {
  until: string;
  at: string;
}
export interface TokenAdopted {
  fingerprint: string;
  sealed: SealedSecret;
  at: string;
  /** The subscriptions Gusto accepted this token for (PUT …/verify answered 2xx): the proof it is Gusto's. */
  confirmedSubscriptions?: string[];
  /** Who opened the handshake window the token arrived in. */
  approvedBy?: string;
}
export type NotAdoptedReason = 'configured_token_takes_precedence' | 'no_handshake_window' | 'not_confirmed_by_gusto';
export interface TokenNotAdopted {
  fingerprint: string;
  reason: NotAdoptedReason;
  at: string;
}

export interface OpenWindow {
  until: string;
  actor: string;
}

export interface KeyHistory {
  /** The last token Gusto confirmed, still sealed. */
  adopted?: TokenAdopted;
  /** The handshake window, when one is open at `nowMs` and no adoption consumed it. */
  window?: OpenWindow;
  /** An adoption recorded without Gusto's confirmation (trust on first use) was passed over. */
  legacy: boolean;
  revision: bigint | 'no_stream';
}

/** Folds the stream (small: one event per window, adoption and throttled refusal). */
export function foldKeyHistory(events: RecordedEvent[], nowMs: number): KeyHistory {
  let adopted: TokenAdopted | undefined;
  let window: OpenWindow | undefined;
  let legacy = false;
  for (const event of events) {
    if (event.type === 'WebhookHandshakeWindowOpened') {
      const data = event.data as WindowOpened;
      window = { until: data.until, actor: event.metadata.actor ?? 'unknown' };
    } else if (event.type === 'WebhookVerificationTokenAdopted') {
      const data = event.data as TokenAdopted;
      if (!data.confirmedSubscriptions?.length) {
        legacy = true;
        continue;
      }
      adopted = data;
      window = undefined; // an adoption consumes the window
    }
  }
  const last = events[events.length - 1];
  return {
    ...(adopted ? { adopted } : {}),
    ...(window && Date.parse(window.until) > nowMs ? { window } : {}),
    legacy,
    revision: last ? last.revision : 'no_stream',
  };
}

export const windowOpenedEvent = (data: WindowOpened, actor: string, actorName?: string): NewEvent => ({
  type: 'WebhookHandshakeWindowOpened',
  data,
  metadata: { actor, ...(actorName ? { actorName } : {}), at: data.at },
});

/** Its id names the revision it was decided at: one adoption per revision, however many instances confirm. */
export const tokenAdoptedEvent = (data: TokenAdopted, actor: string, revision: bigint | 'no_stream'): NewEvent => ({
  id: deterministicEventId('webhook-token', data.fingerprint, String(revision)),
  type: 'WebhookVerificationTokenAdopted',
  data,
  metadata: { actor, at: data.at },
});

export const tokenNotAdoptedEvent = (data: TokenNotAdopted): NewEvent => ({
  id: deterministicEventId('webhook-token-not-adopted', data.fingerprint, data.reason, data.at),
  type: 'WebhookVerificationTokenNotAdopted',
  data,
  metadata: { actor: 'webhook', at: data.at },
});

export const subscriptionVerifiedEvents = (subscriptionUuids: string[], fingerprint: string, at: string): NewEvent[] =>
  subscriptionUuids.map((uuid) => ({
    type: 'WebhookSubscriptionVerified',
    data: { subscriptionUuid: uuid, fingerprint, at },
    metadata: { actor: 'system', at },
  }));
