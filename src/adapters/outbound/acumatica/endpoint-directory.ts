import type { AxiosInstance } from 'axios';
import {
  EndpointDirectoryError,
  type AcumaticaEndpoint,
  type AcumaticaEndpointDirectory,
} from '../../../application/console/ports';

type EntityAnswer =
  | { version?: { acumaticaBuildVersion?: string }; endpoints?: Array<{ name?: unknown; version?: unknown }> }
  | Array<{ name?: unknown; version?: unknown }>;

/**
 * `GET {baseUrl}/entity` without signing in: the instance's built-in endpoints and their versions
 * (reference §1.4; the wrapper object, or a bare array on older builds). The axios instance given is the
 * guarded one: no redirects, capped answers, every socket's address checked at connect time.
 */
export class HttpEndpointDirectory implements AcumaticaEndpointDirectory {
  constructor(private readonly http: AxiosInstance) {}

  async endpoints(baseUrl: string): Promise<{ endpoints: AcumaticaEndpoint[]; buildVersion?: string }> {
    let status: number;
    let data: unknown;
    try {
      ({ status, data } = await this.http.get(`${baseUrl}/entity`, {
        headers: { Accept: 'application/json' },
        responseType: 'json',
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new EndpointDirectoryError(
        'unreachable',
        `could not reach ${baseUrl}/entity: ${code ? `${code} ` : ''}${(error as Error).message}`,
      );
    }
    if (status !== 200)
      throw new EndpointDirectoryError(
        'bad_answer',
        `${baseUrl}/entity answered HTTP ${status}: is this the Acumatica instance's URL (with its virtual directory, if any)?`,
      );
    const answer = data as EntityAnswer;
    const rows = Array.isArray(answer)
      ? answer
      : answer && typeof answer === 'object' && Array.isArray(answer.endpoints)
        ? answer.endpoints
        : undefined;
    if (!rows)
      throw new EndpointDirectoryError(
        'bad_answer',
        `${baseUrl}/entity did not answer Acumatica's endpoint list: is this the Acumatica instance's URL?`,
      );
    const endpoints = rows
      .filter((r): r is AcumaticaEndpoint => typeof r?.name === 'string' && typeof r?.version === 'string')
      .map((r) => ({ name: r.name, version: r.version }));
    const build = !Array.isArray(answer) ? answer.version?.acumaticaBuildVersion : undefined;
    return { endpoints, ...(typeof build === 'string' ? { buildVersion: build } : {}) };
  }
}
