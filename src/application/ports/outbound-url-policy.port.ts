/** Whether the connector may call a URL given from outside (a connection's Acumatica base URL). */
export const OUTBOUND_URL_POLICY = Symbol('OUTBOUND_URL_POLICY');

export type OutboundUrlRule =
  | 'not_a_url'
  | 'scheme_not_allowed'
  | 'https_required'
  | 'credentials_in_url'
  | 'host_unresolvable'
  | 'address_not_allowed';

export type OutboundUrlVerdict = { ok: true } | { ok: false; rule: OutboundUrlRule; message: string };

export interface OutboundUrlPolicy {
  check(url: string): Promise<OutboundUrlVerdict>;
}

/** Allows everything: for unit tests of code that does not care. */
export const allowAllUrls: OutboundUrlPolicy = { check: async () => ({ ok: true }) };
