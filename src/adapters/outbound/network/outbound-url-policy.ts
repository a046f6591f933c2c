import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import type { OutboundUrlPolicy, OutboundUrlVerdict } from '../../../application/ports/outbound-url-policy.port';
import { AllowedHosts, isForbiddenAddress, normalizeHost } from './address-policy';

export interface OutboundUrlPolicySettings {
  /** `NODE_ENV=production`: https only. */
  httpsOnly: boolean;
  allowedHosts: readonly string[];
  /** For tests: how names resolve (default: the system resolver, every address). */
  resolve?: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string): Promise<string[]> =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The URL check when a connection is created, and the connect-time check (`guardedLookup`) the Acumatica
 * HTTP agent uses for every socket it opens.
 */
export class DnsOutboundUrlPolicy implements OutboundUrlPolicy {
  private readonly allowed: AllowedHosts;
  private readonly resolve: (host: string) => Promise<string[]>;

  constructor(private readonly settings: OutboundUrlPolicySettings) {
    this.allowed = new AllowedHosts(settings.allowedHosts);
    this.resolve = settings.resolve ?? systemResolve;
  }

  async check(raw: string): Promise<OutboundUrlVerdict> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, rule: 'not_a_url', message: 'acumatica.baseUrl is not an absolute URL' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return {
        ok: false,
        rule: 'scheme_not_allowed',
        message: `acumatica.baseUrl must be http(s), not ${url.protocol}`,
      };
    if (this.settings.httpsOnly && url.protocol !== 'https:')
      return { ok: false, rule: 'https_required', message: 'acumatica.baseUrl must use https in production' };
    if (url.username || url.password)
      return {
        ok: false,
        rule: 'credentials_in_url',
        message: 'acumatica.baseUrl must not carry credentials; give them in acumatica.auth',
      };
    // The WHATWG parser already canonicalises address spellings (0x7f000001 → 127.0.0.1, [::ffff:127.0.0.1] → [::ffff:7f00:1]).
    const host = normalizeHost(url.hostname);
    if (this.allowed.has(host)) return { ok: true };
    let addresses: string[];
    try {
      addresses = await this.resolve(host);
    } catch {
      return { ok: false, rule: 'host_unresolvable', message: `acumatica.baseUrl: the host ${host} does not resolve` };
    }
    if (addresses.length === 0 || addresses.some(isForbiddenAddress)) {
      return {
        ok: false,
        rule: 'address_not_allowed',
        message: `acumatica.baseUrl: ${host} is, or resolves to, a loopback, link-local, private or unspecified address (list it in MLC_ACUMATICA_ALLOWED_HOSTS to allow it)`,
      };
    }
    return { ok: true };
  }

  /**
   * A `lookup` for http(s).Agent: resolves as usual, then refuses a forbidden address unless the host is
   * allowed by name — so a name that resolved to a public address at creation cannot be re-pointed inward.
   */
  readonly guardedLookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, verbatim: true }, (error, address, family) => {
      if (error) return callback(error, address as string, family);
      if (this.allowed.has(hostname)) return callback(null, address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (list.some(isForbiddenAddress)) {
        const refused: NodeJS.ErrnoException = Object.assign(
          new Error(`refused to connect to ${hostname}: it resolves to a forbidden address`),
          { code: 'EADDRNOTALLOWED' },
        );
        return callback(refused, address, family);
      }
      callback(null, address, family);
    });
  };
}
