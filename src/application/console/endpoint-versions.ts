import type { OutboundUrlPolicy } from '../ports/outbound-url-policy.port';
import { EndpointDirectoryError, type AcumaticaEndpointDirectory } from './ports';
import { ok, refuse, type ConsoleOutcome } from './results';

/**
 * The endpoint versions an Acumatica instance offers (`GET /entity`), for the "new connection" form. The
 * URL passes the same outbound policy as a connection's base URL before anything is sent to it.
 */
export class EndpointVersions {
  constructor(
    private readonly policy: OutboundUrlPolicy,
    private readonly directory: AcumaticaEndpointDirectory,
  ) {}

  async versions(
    baseUrl: string,
    endpointName = 'Default',
  ): Promise<ConsoleOutcome<{ versions: string[]; acumaticaBuildVersion?: string }>> {
    const verdict = await this.policy.check(baseUrl);
    if (!verdict.ok)
      return refuse('acumatica_url_not_allowed', `${verdict.message} (rule ${verdict.rule})`, [
        `baseUrl: ${verdict.rule}`,
      ]);
    try {
      const found = await this.directory.endpoints(baseUrl.replace(/\/+$/, ''));
      const versions = [
        ...new Set(found.endpoints.filter((e) => e.name === endpointName).map((e) => e.version)),
      ].sort();
      return ok({ versions, ...(found.buildVersion ? { acumaticaBuildVersion: found.buildVersion } : {}) });
    } catch (error) {
      if (!(error instanceof EndpointDirectoryError)) throw error;
      return refuse('acumatica_unavailable', error.message, { kind: error.kind });
    }
  }
}
