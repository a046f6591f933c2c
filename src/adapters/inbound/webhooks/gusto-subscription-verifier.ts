import axios, { type AxiosInstance } from 'axios';
import type { WebhookSubscriptionVerifier } from '../../../application/inbox/subscription-verifier';

export interface VerifierSettings {
  apiBaseUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  /** Subscriptions whose URL path ends with this are ours (subscriptions are application-wide). */
  webhookPath: string;
}

interface Subscription {
  uuid: string;
  url: string;
  status: string;
}

/**
 * Finishes the handshake with a system access token (`grant_type=system_access`, gusto.md §2.1):
 * lists the application's subscriptions and verifies the pending ones pointing at /webhooks/gusto.
 * Lives beside the webhook controller because it is the second half of answering Gusto's handshake;
 * it touches no company data (the company client refuses every non-GET on /v1 by design).
 */
export class GustoSubscriptionVerifier implements WebhookSubscriptionVerifier {
  private readonly http: AxiosInstance;

  constructor(
    private readonly settings: VerifierSettings,
    http?: AxiosInstance,
  ) {
    this.http =
      http ??
      axios.create({
        baseURL: settings.apiBaseUrl,
        timeout: 15_000,
        headers: { 'X-Gusto-API-Version': settings.apiVersion, Accept: 'application/json' },
        validateStatus: () => true,
      });
  }

  async verifyPending(token: string): Promise<string[]> {
    const auth = { Authorization: `Bearer ${await this.systemToken()}` };
    const listed = await this.http.get<Subscription[]>('/v1/webhook_subscriptions', { headers: auth });
    if (listed.status !== 200 || !Array.isArray(listed.data))
      throw new Error(`listing webhook subscriptions answered ${listed.status}`);
    const ours = listed.data.filter((s) => s.status === 'pending' && pathOf(s.url).endsWith(this.settings.webhookPath));
    const verified: string[] = [];
    for (const subscription of ours) {
      const res = await this.http.put(
        `/v1/webhook_subscriptions/${encodeURIComponent(subscription.uuid)}/verify`,
        { verification_token: token },
        { headers: auth },
      );
      // 422 = this token belongs to another pending subscription: not ours to confirm with it.
      if (res.status >= 200 && res.status < 300) verified.push(subscription.uuid);
      else if (res.status !== 422)
        throw new Error(`verifying webhook subscription ${subscription.uuid} answered ${res.status}`);
    }
    return verified;
  }

  private async systemToken(): Promise<string> {
    const res = await this.http.post<{ access_token?: string }>(
      '/oauth/token',
      { client_id: this.settings.clientId, client_secret: this.settings.clientSecret, grant_type: 'system_access' },
      { headers: { 'Content-Type': 'application/json' } },
    );
    if (res.status !== 200 || typeof res.data?.access_token !== 'string')
      throw new Error(`system access token request answered ${res.status}`);
    return res.data.access_token;
  }
}

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
};
