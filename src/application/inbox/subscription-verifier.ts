/**
 * Step 2 of Gusto's handshake (gusto.md §3.1): after Gusto POSTs the verification token, the app must
 * call `PUT /v1/webhook_subscriptions/{uuid}/verify` with it before any event flows. Implemented over
 * HTTP with a system access token in adapters/inbound/webhooks.
 */
export interface WebhookSubscriptionVerifier {
  /**
   * Verifies every pending subscription of this application that points at our webhook URL path and
   * accepts this token. Returns the uuids verified; an empty list when none was pending or none matched.
   */
  verifyPending(token: string): Promise<string[]>;
}

/** When no Gusto client credentials are configured: the operator verifies in the Developer Portal. */
export const manualVerification: WebhookSubscriptionVerifier = { verifyPending: async () => [] };
