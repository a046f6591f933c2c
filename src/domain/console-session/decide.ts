import { accept, refuse, type Accepted, type Decision } from '../shared/decision';
import type { ConsoleSessionEvent } from './events';

export type ConsoleSession =
  { status: 'none' } | { status: 'active' | 'ended'; sessionId: string; principal: string; expiresAt: string };

export const NO_SESSION: ConsoleSession = { status: 'none' };

export function evolve(state: ConsoleSession, event: ConsoleSessionEvent): ConsoleSession {
  switch (event.type) {
    case 'ConsoleSessionStarted':
      return {
        status: 'active',
        sessionId: event.data.sessionId,
        principal: event.data.principal,
        expiresAt: event.data.expiresAt,
      };
    case 'ConsoleSessionEnded':
      return state.status === 'none' ? state : { ...state, status: 'ended' };
    default: {
      const unexpected: never = event;
      throw new Error(`unknown console session event ${JSON.stringify(unexpected)}`);
    }
  }
}

export const fold = (events: readonly ConsoleSessionEvent[], state: ConsoleSession = NO_SESSION): ConsoleSession =>
  events.reduce(evolve, state);

export type ConsoleSessionError = 'session_exists';

/** Sign-in: a fresh session id, the principal's actor id, and how long the session may last. */
export function startSession(
  state: ConsoleSession,
  cmd: { sessionId: string; principal: string; ttlMs: number },
  now: Date,
): Decision<ConsoleSessionEvent, ConsoleSessionError> {
  if (state.status !== 'none') return refuse('session_exists', `session ${cmd.sessionId} already exists`);
  const expiresAt = new Date(now.getTime() + cmd.ttlMs).toISOString();
  return accept({
    type: 'ConsoleSessionStarted',
    data: { sessionId: cmd.sessionId, principal: cmd.principal, startedAt: now.toISOString(), expiresAt },
  });
}

/** Sign-out: ends an active session; signing out of an ended or unknown session changes nothing. */
export function endSession(state: ConsoleSession, now: Date): Accepted<ConsoleSessionEvent> {
  if (state.status !== 'active') return accept();
  return accept({
    type: 'ConsoleSessionEnded',
    data: { sessionId: state.sessionId, endedAt: now.toISOString(), reason: 'signed_out' },
  });
}

/** A session stands while it is active, unexpired and still held by the principal the cookie names. */
export const sessionStands = (state: ConsoleSession, principal: string, now: Date): boolean =>
  state.status === 'active' && state.principal === principal && Date.parse(state.expiresAt) > now.getTime();
