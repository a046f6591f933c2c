/**
 * The requests of every connection: one session per connection, reused until its settings change (then
 * the old one is closed), and a 404 on the endpoint checked against `GET /entity` to name the versions offered.
 */
import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { AcumaticaApiError } from '../../../application/ports/acumatica.port';
import type { AcumaticaSettingsSource } from '../../../application/connections/ports';
import type { AcumaticaHttp, AcumaticaRequest } from './acumatica-http';
import { AcumaticaSession } from './session';
import type { WireEntity } from './values';

export class AcumaticaRequests {
  private readonly sessions = new Map<string, { fingerprint: string; session: AcumaticaSession }>();

  constructor(
    private readonly axios: AxiosInstance,
    private readonly http: AcumaticaHttp,
    private readonly settings: AcumaticaSettingsSource,
  ) {}

  /** Reused until the connection's settings change (then the old session is closed). */
  async session(connectionId: string): Promise<AcumaticaSession> {
    const settings = await this.settings.settingsFor(connectionId);
    const fingerprint = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
    const held = this.sessions.get(connectionId);
    if (held && held.fingerprint === fingerprint) return held.session;
    if (held) void held.session.logout();
    const session = new AcumaticaSession(this.axios, settings);
    this.sessions.set(connectionId, { fingerprint, session });
    return session;
  }

  /** A list read in the connection's session; anything but an array reads as no rows. */
  async list(connectionId: string, request: AcumaticaRequest): Promise<WireEntity[]> {
    const data = await this.call(await this.session(connectionId), request);
    return Array.isArray(data) ? (data as WireEntity[]) : [];
  }

  /** One request; a 404 on the endpoint is checked against `GET /entity` so the error can name the versions offered. */
  async call(session: AcumaticaSession, request: AcumaticaRequest): Promise<unknown> {
    try {
      return (await this.http.send(session, request)).data;
    } catch (error) {
      if (!(error instanceof AcumaticaApiError) || error.kind !== 'not_found') throw error;
      const offered = await this.offeredVersions(session).catch(() => undefined);
      if (offered && !offered.includes(session.settings.endpointVersion)) {
        throw new AcumaticaApiError(
          'endpoint_version_not_available',
          versionMessage(session, offered),
          404,
          undefined,
          [],
          offered,
        );
      }
      throw error;
    }
  }

  /** Signs every session out (at shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.session.logout()));
  }

  /** `GET /entity`: versions of the configured endpoint name (wrapper object or bare array, reference §1.4). */
  private async offeredVersions(session: AcumaticaSession): Promise<string[]> {
    const data = (await this.http.send(session, { method: 'GET', path: '/entity', what: 'listing endpoints' })).data as
      { endpoints?: Array<{ name?: string; version?: string }> } | Array<{ name?: string; version?: string }>;
    const endpoints = Array.isArray(data) ? data : (data?.endpoints ?? []);
    return endpoints.flatMap((e) => (e.name === session.settings.endpointName && e.version ? [e.version] : []));
  }
}

function versionMessage(session: AcumaticaSession, offered: string[]): string {
  const { endpointName, endpointVersion } = session.settings;
  return `endpoint version ${endpointVersion} is not available; this instance offers ${offered.length ? offered.map((v) => `${endpointName}/${v}`).join(', ') : `no ${endpointName} endpoint`}`;
}
