import { endSession, fold, sessionStands, startSession } from '../../../../src/domain/console-session/decide';
import type { ConsoleSessionEvent } from '../../../../src/domain/console-session/events';
import { decider } from '../../../support/decider-spec';

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
const { given } = decider(fold);

describe('console session decider: given events → when command → then events', () => {
  it('sign-in on a new stream → ConsoleSessionStarted with the expiry ttl after now', () => {
    const after = given()
      .when((s) => startSession(s, { sessionId: 's1', principal: 'key:0123456789abcdef', ttlMs: 8 * HOUR }, NOW))
      .then(started);
    expect(after.state).toMatchObject({ status: 'active', expiresAt: started.data.expiresAt });
  });

  it('sign-in on an existing session id → session_exists', () => {
    given(started)
      .when((s) => startSession(s, { sessionId: 's1', principal: 'admin-token', ttlMs: HOUR }, NOW))
      .thenError('session_exists', 'session s1 already exists');
  });

  it('sign-out of an active session → ConsoleSessionEnded; of an ended or unknown one → nothing', () => {
    given(started)
      .when((s) => endSession(s, NOW))
      .then(ended);
    given(started, ended)
      .when((s) => endSession(s, NOW))
      .then();
    given()
      .when((s) => endSession(s, NOW))
      .then();
  });

  it('a session stands while active, unexpired and held by the principal the cookie names', () => {
    const principal = 'key:0123456789abcdef';
    expect(sessionStands(given(started).state, principal, new Date(NOW.getTime() + HOUR))).toBe(true);
    expect(sessionStands(given(started).state, principal, new Date(NOW.getTime() + 8 * HOUR))).toBe(false);
    expect(sessionStands(given(started).state, 'admin-token', NOW)).toBe(false);
    expect(sessionStands(given(started, ended).state, principal, NOW)).toBe(false);
    expect(sessionStands(given().state, principal, NOW)).toBe(false);
  });
});
