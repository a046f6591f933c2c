import { eventTypes } from '../shared/event-types';

/**
 * A browser session of the console (stream `console-session-<sessionId>`). The cookie the browser holds is
 * sealed by the vault and names the session; the stream says whether it still stands. Neither the cookie's
 * CSRF seed nor any key is recorded here: only who signed in and until when.
 */
export type ConsoleSessionEvent =
  | {
      type: 'ConsoleSessionStarted';
      data: { sessionId: string; principal: string; startedAt: string; expiresAt: string };
    }
  | { type: 'ConsoleSessionEnded'; data: { sessionId: string; endedAt: string; reason: 'signed_out' } };

export const CONSOLE_SESSION_EVENT_TYPES = eventTypes<ConsoleSessionEvent>()([
  'ConsoleSessionStarted',
  'ConsoleSessionEnded',
]);

export const CONSOLE_SESSION_STREAM_PREFIX = 'console-session-';
export const consoleSessionStream = (sessionId: string): string => `${CONSOLE_SESSION_STREAM_PREFIX}${sessionId}`;
