import { accept, type Accepted, type Refused } from '../shared/decision';
import type { SealedValue } from './events';
import { eventTypes } from '../shared/event-types';

/**
 * Gusto token rotation for one company (stream `gusto-credentials-<companyUuid>`).
 *
 * Gusto refresh tokens are single-use, so two workers refreshing with the same one lose the grant.
 * The stream is the lock: a worker appends `RefreshLeaseTaken` at the revision it read; whoever loses
 * that race waits for the winner's `TokensRotated` (or for the lease to expire) and uses those tokens.
 * The new pair is appended (sealed) before the new access token is ever used, because Gusto revokes the
 * old refresh token at that first use.
 */
export type GustoCredentialsEvent =
  | {
      type: 'GustoTokensIssued';
      data: {
        connectionId: string;
        companyUuid: string;
        accessToken: SealedValue;
        refreshToken: SealedValue;
        expiresAt: string;
        issuedAt: string;
      };
    }
  | { type: 'RefreshLeaseTaken'; data: { holder: string; until: string; takenAt: string } }
  | {
      type: 'TokensRotated';
      data: {
        holder: string;
        accessToken: SealedValue;
        refreshToken: SealedValue;
        expiresAt: string;
        rotatedAt: string;
      };
    }
  /** The refresh failed for a passing reason (Gusto down): the lease ends early so another worker may try. */
  | { type: 'RefreshLeaseReleased'; data: { holder: string; reason: string; releasedAt: string } }
  /** invalid_grant: the grant is gone. Nobody refreshes again until a person authorizes anew (GustoTokensIssued). */
  | { type: 'RefreshTokenRejected'; data: { holder: string; error: string; rejectedAt: string } };

export const GUSTO_CREDENTIALS_EVENT_TYPES = eventTypes<GustoCredentialsEvent>()([
  'GustoTokensIssued',
  'RefreshLeaseTaken',
  'TokensRotated',
  'RefreshLeaseReleased',
  'RefreshTokenRejected',
]);

export const gustoCredentialsStream = (companyUuid: string): string => `gusto-credentials-${companyUuid}`;

export interface GustoTokens {
  accessToken: SealedValue;
  refreshToken: SealedValue;
  expiresAt: string;
  /** Bumped on every issue/rotation: lets a caller say "the token I used was rejected" without naming it. */
  generation: number;
}

export interface GustoCredentials {
  connectionId?: string;
  tokens?: GustoTokens;
  lease?: { holder: string; until: string };
  rejected: boolean;
}

export const initialCredentials: GustoCredentials = { rejected: false };

export function evolveCredentials(state: GustoCredentials, event: GustoCredentialsEvent): GustoCredentials {
  const generation = (state.tokens?.generation ?? 0) + 1;
  switch (event.type) {
    case 'GustoTokensIssued': {
      const { connectionId, accessToken, refreshToken, expiresAt } = event.data;
      return { connectionId, tokens: { accessToken, refreshToken, expiresAt, generation }, rejected: false };
    }
    case 'RefreshLeaseTaken':
      return { ...state, lease: { holder: event.data.holder, until: event.data.until } };
    case 'TokensRotated': {
      const { accessToken, refreshToken, expiresAt } = event.data;
      return { ...state, tokens: { accessToken, refreshToken, expiresAt, generation }, lease: undefined };
    }
    case 'RefreshLeaseReleased':
      return { ...state, lease: undefined };
    case 'RefreshTokenRejected':
      return { ...state, lease: undefined, rejected: true };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const foldCredentials = (events: readonly GustoCredentialsEvent[]): GustoCredentials =>
  events.reduce(evolveCredentials, initialCredentials);

/** What a worker that wants a usable access token should do next, given what it just read. */
export type TokenPlan =
  | { action: 'use'; tokens: GustoTokens }
  | { action: 'refresh' }
  | { action: 'wait'; until: string }
  | { action: 'fail'; reason: 'not_connected' | 'needs_reauthorization' };

/**
 * `refreshAheadMs`: refresh this long before expiry (Gusto suggests 60 s), so a token never expires mid-call.
 * `rejectedGeneration`: the caller's token of this generation got a 401 although it looked valid.
 */
export function planToken(
  state: GustoCredentials,
  now: Date,
  refreshAheadMs: number,
  rejectedGeneration?: number,
): TokenPlan {
  if (state.rejected) return { action: 'fail', reason: 'needs_reauthorization' };
  if (!state.tokens) return { action: 'fail', reason: 'not_connected' };
  const fresh = Date.parse(state.tokens.expiresAt) - refreshAheadMs > now.getTime();
  const distrusted = rejectedGeneration !== undefined && rejectedGeneration >= state.tokens.generation;
  if (fresh && !distrusted) return { action: 'use', tokens: state.tokens };
  if (state.lease && Date.parse(state.lease.until) > now.getTime()) return { action: 'wait', until: state.lease.until };
  return { action: 'refresh' };
}

/** One Gusto company holds one connection's grant. A different connection may not take it over. */
export function issueTokens(
  state: GustoCredentials,
  data: Extract<GustoCredentialsEvent, { type: 'GustoTokensIssued' }>['data'],
): Accepted<GustoCredentialsEvent> | (Refused<'company_already_connected'> & { readonly boundTo: string }) {
  if (state.connectionId !== undefined && state.connectionId !== data.connectionId)
    return { error: 'company_already_connected', boundTo: state.connectionId };
  return accept({ type: 'GustoTokensIssued', data });
}
