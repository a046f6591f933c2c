/** The console's session over real HTTP: sign in with a key, then call the API with the cookie as a browser would. */
import type { World } from '../../integration/connections/harness';
import { apiCall, type ApiAnswer } from '../../support/service';

export interface BrowserSession {
  /** `mlc_session=<value>`, as the browser sends it back. */
  cookie: string;
  /** The whole Set-Cookie line of the sign-in answer. */
  setCookie: string;
  csrfToken: string;
  principal: any;
  /** A call with the cookie (and the CSRF header unless `csrf` says otherwise). */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { csrf?: string | null },
  ): Promise<ApiAnswer<T>>;
}

export async function signIn(base: string, key: string): Promise<BrowserSession> {
  const res = await apiCall(base, 'POST', '/api/session', { key });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${res.text}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('mlc_session='));
  if (!setCookie) throw new Error(`sign-in set no mlc_session cookie: ${res.headers.getSetCookie().join(' | ')}`);
  const cookie = setCookie.split(';')[0]!;
  const csrfToken = res.body.csrfToken as string;
  return {
    cookie,
    setCookie,
    csrfToken,
    principal: res.body.principal,
    call: (method, path, body, options = {}) => {
      const csrf = options.csrf === undefined ? csrfToken : options.csrf;
      return apiCall(base, method, path, body, { cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) });
    },
  };
}

export async function newKey(
  world: World,
  name: string,
  role: 'auditor' | 'operator' | 'admin',
  connections: '*' | string[],
): Promise<{ id: string; secret: string }> {
  const res = await world.api('POST', '/api/keys', { name, role, connections });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret };
}
