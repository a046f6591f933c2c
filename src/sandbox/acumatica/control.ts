/** The tester's control panel under `/sandbox/…` (scenarios, not Acumatica): not recorded, no faults, no auth. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from './auth';

/** `POST /sandbox/users/{name}/password {password, endSessions?}` and `POST /sandbox/clients/{id}/revoke {remove?}`. */
export function control(auth: Auth, req: IncomingMessage, res: ServerResponse, path: string, raw: string): void {
  const answer = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    return answer(400, { error: 'body must be JSON' });
  }
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method === 'POST' && seg.length === 4 && seg[1] === 'users' && seg[3] === 'password') {
    if (typeof body.password !== 'string' || !body.password)
      return answer(400, { error: 'password (string) is required' });
    const done = auth.resetPassword(seg[2], body.password, body.endSessions !== false);
    return done
      ? answer(200, { username: seg[2], sessionsEnded: body.endSessions !== false })
      : answer(404, { error: `no user ${seg[2]}` });
  }
  if (req.method === 'POST' && seg.length === 4 && seg[1] === 'clients' && seg[3] === 'revoke') {
    const done = auth.revokeClient(seg[2], body.remove !== false);
    return done
      ? answer(200, { clientId: seg[2], removed: body.remove !== false })
      : answer(404, { error: `no client ${seg[2]}` });
  }
  return answer(404, { error: `no sandbox route ${req.method ?? ''} ${path}` });
}
