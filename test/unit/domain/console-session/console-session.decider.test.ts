import { endSession, fold, sessionStands, startSession } from '../../../../src/domain/console-session/decide';
import type { ConsoleSessionEvent } from '../../../../src/domain/console-session/events';

const NOW = new Date('2026-03-01T10:00:00Z');
const HOUR = 60 * 60_000;
const started: ConsoleSessionEvent = {
  type: 'ConsoleSessionStarted',
  data: {
    sessionId: 's1',
    principal: 'key:0123456789abcdef',
    startedAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 8 * HOUR).toISOString(),
  },
};
const ended: ConsoleSessionEvent = {
  type: 'ConsoleSessionEnded',
  data: { sessionId: 's1', endedAt: NOW.toISOString(), reason: 'signed_out' },
};
const given = (...events: ConsoleSessionEvent[]) => fold(events);

describe('console session decider: given events → when command → then events', () => {
  it('sign-in on a new stream → ConsoleSessionStarted with the expiry ttl after now', () => {
    expect(startSession(given(), { sessionId: 's1', principal: 'key:0123456789abcdef', ttlMs: 8 * HOUR }, NOW)).toEqual(
      [started],
    );
  });

  it('sign-in on an existing session id → session_exists', () => {
    expect(startSession(given(started), { sessionId: 's1', principal: 'admin-token', ttlMs: HOUR }, NOW)).toMatchObject(
      { error: 'session_exists' },
    );
  });

  it('sign-out of an active session → ConsoleSessionEnded; of an ended or unknown one → nothing', () => {
    expect(endSession(given(started), NOW)).toEqual([ended]);
    expect(endSession(given(started, ended), NOW)).toEqual([]);
    expect(endSession(given(), NOW)).toEqual([]);
  });

  it('a session stands while active, unexpired and held by the principal the cookie names', () => {
    const principal = 'key:0123456789abcdef';
    expect(sessionStands(given(started), principal, new Date(NOW.getTime() + HOUR))).toBe(true);
    expect(sessionStands(given(started), principal, new Date(NOW.getTime() + 8 * HOUR))).toBe(false);
    expect(sessionStands(given(started), 'admin-token', NOW)).toBe(false);
    expect(sessionStands(given(started, ended), principal, NOW)).toBe(false);
    expect(sessionStands(given(), principal, NOW)).toBe(false);
  });
});
