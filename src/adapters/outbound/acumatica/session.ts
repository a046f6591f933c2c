import type { AxiosInstance, AxiosResponse } from 'axios';
import { AcumaticaApiError } from '../../../application/ports/acumatica.port';
import type { AcumaticaConnectionSettings } from '../../../application/connections/ports';
import { toAcumaticaError } from './errors';

type Credential =
  | { kind: 'bearer'; accessToken: string; refreshToken?: string; expiresAt: number }
  | { kind: 'cookie'; cookie: string };

const EXPIRY_MARGIN_MS = 60_000;

/**
 * How one connection signs in to Acumatica, kept in memory and reused until it expires: an OAuth token
 * (password grant, scope `api offline_access`, refreshed with its rotating refresh token) or a cookie
 * session. Re-signing in for every request would burn API-user licence slots (reference §2.3).
 */
export class AcumaticaSession {
  private credential: Credential | undefined;
  private signingIn: Promise<Credential> | null = null;
  /** Set while a long action (release) runs in this session: Acumatica serves only its status polls then. */
  private actionRunning: Promise<void> | null = null;
  private inFlight = 0;
  private drained: (() => void) | null = null;

  constructor(
    private readonly http: AxiosInstance,
    readonly settings: AcumaticaConnectionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Headers that authenticate a request. Concurrent callers share one sign-in. */
  async headers(): Promise<Record<string, string>> {
    const credential = await this.current();
    return credential.kind === 'bearer'
      ? { Authorization: `Bearer ${credential.accessToken}` }
      : { Cookie: credential.cookie };
  }

  /**
   * A tiny read/write lock. Ordinary requests enter (shared); an action (release) runs exclusively: it
   * waits for requests already on the wire, and holds back new ones until its polls are done.
   */
  async enter(): Promise<void> {
    while (this.actionRunning) await this.actionRunning;
    this.inFlight++; // same tick as the check: an action cannot slip in between
  }

  leave(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) {
      this.drained();
      this.drained = null;
    }
  }

  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    while (this.actionRunning) await this.actionRunning;
    let done!: () => void;
    this.actionRunning = new Promise<void>((resolve) => (done = resolve));
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.actionRunning = null;
      done();
    }
  }

  /** The server said 401: drop what we hold so the next `headers()` signs in again. */
  invalidate(rejectedHeaders: Record<string, string>): void {
    const held = this.credential;
    if (!held) return;
    const same =
      held.kind === 'bearer'
        ? rejectedHeaders.Authorization === `Bearer ${held.accessToken}`
        : rejectedHeaders.Cookie === held.cookie;
    // Keep the refresh token: an expired access token is renewed with it rather than with the password.
    if (same) this.credential = held.kind === 'bearer' ? { ...held, expiresAt: 0 } : undefined;
  }

  /** Cookie sessions hold a licence slot for 10 minutes unless closed: close them on shutdown. */
  async logout(): Promise<void> {
    const held = this.credential;
    this.credential = undefined;
    if (!held || held.kind !== 'cookie') return;
    await this.http
      .post(`${this.settings.baseUrl}/entity/auth/logout`, '', {
        headers: { Cookie: held.cookie, 'Content-Length': '0' },
      })
      .catch(() => undefined);
  }

  private async current(): Promise<Credential> {
    const held = this.credential;
    if (held && (held.kind === 'cookie' || held.expiresAt - EXPIRY_MARGIN_MS > this.now())) return held;
    if (!this.signingIn) {
      this.signingIn = this.signIn(held)
        .then((c) => (this.credential = c))
        .finally(() => (this.signingIn = null));
    }
    return this.signingIn;
  }

  private async signIn(previous: Credential | undefined): Promise<Credential> {
    const { auth } = this.settings;
    if (auth.kind === 'cookie') return this.cookieLogin(auth.username, auth.password);
    if (previous?.kind === 'bearer' && previous.refreshToken) {
      try {
        return await this.token({ grant_type: 'refresh_token', refresh_token: previous.refreshToken });
      } catch (error) {
        // A spent or expired refresh chain (30 days by default): fall back to the password grant.
        if (!(error instanceof AcumaticaApiError) || error.retryable) throw error;
      }
    }
    return this.token({
      grant_type: 'password',
      username: auth.username,
      password: auth.password,
      scope: 'api offline_access',
    });
  }

  private async token(grant: Record<string, string>): Promise<Credential> {
    const auth = this.settings.auth as Extract<AcumaticaConnectionSettings['auth'], { kind: 'oauth2' }>;
    const form = new URLSearchParams({ ...grant, client_id: auth.clientId, client_secret: auth.clientSecret });
    const response = await this.send('POST /identity/connect/token', () =>
      this.http.post(`${this.settings.baseUrl}/identity/connect/token`, form.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    const body = response.data as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (response.status !== 200 || !body?.access_token) {
      if (response.status === 400 || response.status === 401) {
        const words = [body?.error, body?.error_description].filter(Boolean).join(': ') || `HTTP ${response.status}`;
        throw new AcumaticaApiError('unauthorized', `Acumatica sign-in (OAuth) refused: ${words}`, response.status);
      }
      throw toAcumaticaError('Acumatica sign-in (OAuth)', response);
    }
    return {
      kind: 'bearer',
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: this.now() + Number(body.expires_in ?? 3600) * 1000,
    };
  }

  private async cookieLogin(username: string, password: string): Promise<Credential> {
    const { tenant, branch } = this.settings;
    const response = await this.send('POST /entity/auth/login', () =>
      this.http.post(`${this.settings.baseUrl}/entity/auth/login`, {
        name: username,
        password,
        tenant,
        ...(branch ? { branch } : {}),
      }),
    );
    if (response.status !== 204 && response.status !== 200) {
      const error = toAcumaticaError('Acumatica sign-in (cookie)', response);
      // Wrong password comes back as a 500 naming it: that is a credentials problem, not an outage.
      if (/Invalid credentials|company ID/i.test(error.message))
        throw new AcumaticaApiError('unauthorized', error.message, response.status);
      throw error;
    }
    const setCookie = (response.headers['set-cookie'] as string[] | undefined) ?? [];
    const cookie = setCookie
      .map((c) => c.split(';')[0])
      .filter((c) => !/=$/.test(c))
      .join('; ');
    if (!cookie) throw new AcumaticaApiError('unauthorized', 'Acumatica sign-in (cookie) returned no session cookie');
    return { kind: 'cookie', cookie };
  }

  private async send(what: string, call: () => Promise<AxiosResponse>): Promise<AxiosResponse> {
    try {
      return await call();
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw new AcumaticaApiError(
        e.code === 'ECONNABORTED' ? 'timeout' : 'unavailable',
        `Acumatica did not answer ${what}: ${[e.code, e.message].filter(Boolean).join(' ')}`,
      );
    }
  }
}
