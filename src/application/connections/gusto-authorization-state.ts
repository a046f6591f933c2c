/**
 * The OAuth `state` of a Gusto authorization: how it is made, what it carries (the connection, the
 * console's returnTo), what is stored of it (its hash; the PKCE verifier sealed against it), who started it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PendingAuthorization } from '../../domain/connection/state';
import type { Acting } from '../api-keys/principal';

/** Gusto's authorization code lives 10 minutes; a state need not outlive it. */
export const STATE_TTL_MS = 10 * 60_000;
/** How long a code for an unnamed company waits for its starter's confirmation. */
export const CONFIRM_TTL_MS = 10 * 60_000;

/** Only this is stored: the state itself is the browser's secret. */
export const stateHashOf = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');
/** The associated data the PKCE verifier is sealed with: bound to the connection and the state. */
export const verifierAad = (connectionId: string, stateHash: string): string =>
  `connection-${connectionId}:gusto.pkce:${stateHash}`;

/**
 * Where the browser goes after the callback (the console's `returnTo`, issue 16) rides in the state
 * itself, after a `~`: covered by the state's hash (altering it makes the state unknown), and never a
 * '.' (base64url), so the connection id is still the part before the last '.'.
 */
export function returnToOfState(state: string): string | undefined {
  const at = state.lastIndexOf('~');
  if (at < 0) return undefined;
  try {
    return Buffer.from(state.slice(at + 1), 'base64url').toString('utf8') || undefined;
  } catch {
    return undefined;
  }
}

/** `<connectionId>.<256 random bits>[~<returnTo, base64url>]`: the callback finds its connection without a lookup table. */
export function newState(connectionId: string, returnTo?: string): string {
  const back = returnTo ? `~${Buffer.from(returnTo, 'utf8').toString('base64url')}` : '';
  return `${connectionId}.${randomBytes(32).toString('base64url')}${back}`;
}

/** The connection a state was made for: the part before its last '.'. */
export const connectionIdOfState = (state: string): string => state.slice(0, Math.max(0, state.lastIndexOf('.')));

/** The principal that started an authorization: the actor of everything its callback causes. */
export const starterOf = (pending: PendingAuthorization): Acting =>
  pending.startedBy
    ? { id: pending.startedBy, ...(pending.startedByName ? { name: pending.startedByName } : {}) }
    : 'operator';
