import type { AxiosInstance, AxiosResponse } from 'axios';
import {
  GustoOAuthError,
  type GustoOAuth,
  type GustoOAuthErrorKind,
  type GustoTokenSet,
} from '../../../application/connections/ports';
import { getWithRetry, gustoMessage, limitsOf, transportMessage, type GustoHttpOptions } from './gusto-http';

export interface GustoAppCredentials {
  clientId?: string;
  clientSecret?: string;
  redirectUri: string;
}

/** Gusto's OAuth endpoints (authorization code, refresh) and token introspection. */
export class GustoOAuthClient implements GustoOAuth {
  constructor(
    private readonly http: AxiosInstance,
    private readonly app: GustoAppCredentials,
    private readonly options: GustoHttpOptions,
  ) {}

  authorizeUrl(state: string, codeChallenge?: string): string {
    const { clientId } = this.requireApp();
    const pkce: Record<string, string> = codeChallenge
      ? { code_challenge: codeChallenge, code_challenge_method: 'S256' }
      : {};
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: this.app.redirectUri,
      response_type: 'code',
      state,
      ...pkce,
    });
    return `${this.options.baseUrl}/oauth/authorize?${query.toString()}`;
  }

  exchangeCode(code: string, codeVerifier?: string): Promise<GustoTokenSet> {
    return this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.app.redirectUri,
      ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
    });
  }

  refresh(refreshToken: string): Promise<GustoTokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async tokenInfo(accessToken: string): Promise<{ companyUuid: string }> {
    const response = await getWithRetry(this.http, '/v1/token_info', undefined, bearer(accessToken), this.options);
    const body = response.data as { resource?: { type?: string; uuid?: string } };
    if (response.status !== 200 || body?.resource?.type !== 'Company' || !body.resource.uuid) {
      throw new GustoOAuthError(
        response.status === 200 ? 'rejected' : refusalKind(response.status),
        `GET /v1/token_info: ${response.status === 200 ? 'not a company token' : gustoMessage(response)}`,
        response.status,
      );
    }
    return { companyUuid: body.resource.uuid };
  }

  async companyName(accessToken: string, companyUuid: string): Promise<string | undefined> {
    const path = `/v1/companies/${encodeURIComponent(companyUuid)}`;
    const response = await getWithRetry(this.http, path, undefined, bearer(accessToken), this.options);
    if (response.status !== 200)
      throw new GustoOAuthError(
        refusalKind(response.status),
        `GET ${path}: ${gustoMessage(response)}`,
        response.status,
      );
    return (response.data as { name?: string }).name ?? undefined;
  }

  private requireApp(): { clientId: string; clientSecret: string } {
    const { clientId, clientSecret } = this.app;
    if (!clientId || !clientSecret)
      throw new GustoOAuthError(
        'not_configured',
        'GUSTO_CLIENT_ID and GUSTO_CLIENT_SECRET must be set to talk to Gusto',
      );
    return { clientId, clientSecret };
  }

  /** The secret travels in the body, never in the URL (Gusto answers 400 to that, and URLs get logged). */
  private async token(grant: Record<string, string>): Promise<GustoTokenSet> {
    const { clientId, clientSecret } = this.requireApp();
    let response: AxiosResponse;
    try {
      response = await this.http.post(
        '/oauth/token',
        { client_id: clientId, client_secret: clientSecret, ...grant },
        { headers: { 'Content-Type': 'application/json' }, ...limitsOf('token', this.options) },
      );
    } catch (error) {
      throw new GustoOAuthError('unavailable', `POST /oauth/token: ${transportMessage(error)}`);
    }
    const body = response.data as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (response.status === 200 && body?.access_token && body.refresh_token) {
      return {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        expiresIn: Number(body.expires_in ?? 7200),
      };
    }
    // Gusto documents 400 for a spent refresh token; 401 is treated the same (reference §2.3).
    if ((response.status === 400 || response.status === 401) && body?.error === 'invalid_grant') {
      throw new GustoOAuthError('invalid_grant', `POST /oauth/token: ${gustoMessage(response)}`, response.status);
    }
    const kind = response.status === 429 || response.status >= 500 ? 'unavailable' : 'rejected';
    throw new GustoOAuthError(kind, `POST /oauth/token: ${gustoMessage(response)}`, response.status);
  }
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A data call's failure as the application sees it: a refused token, Gusto down or throttling, or anything else. */
function refusalKind(status: number): GustoOAuthErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}
