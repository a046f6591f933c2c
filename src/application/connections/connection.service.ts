import {
  acceptMapping,
  changeSettings,
  create,
  deleteConnection,
  loseGustoAuthorization,
} from '../../domain/connection/decide';
import type { AcumaticaSettings } from '../../domain/connection/events';
import type { ConnectionState } from '../../domain/connection/state';
import { mappingReferences, parseMapping } from '../../domain/mapping';
import { AcumaticaApiError } from '../ports/acumatica.port';
import type { Clock } from '../ports/clock.port';
import type { Vault } from '../ports/vault.port';
import type { ConnectionRepository } from './connection-repository';
import type { ConnectionsReadModel } from './connections-read-model';
import type { GlCatalog } from './gl-catalog';
import type { AcumaticaConnectionSettings } from './ports';
import { failure, success, type Outcome } from './results';
import { sealAcumaticaAuth } from './sealed-settings';
import { DEFAULT_MAX_CONCURRENT, isConfigured } from '../../domain/licence/licence-limits';
import { allowAllUrls, type OutboundUrlPolicy } from '../ports/outbound-url-policy.port';
import { actorMetadata, type Acting } from '../api-keys/principal';
import { required } from '../../domain/shared/required';

export interface NewConnection {
  name: string;
  acumatica: Omit<AcumaticaConnectionSettings, 'connectionId' | 'endpointName'> & { endpointName?: string };
  mapping?: unknown;
}

/** What GET /api/connections shows: everything but secrets (they are not even in this shape). */
export interface ConnectionView {
  id: string;
  name: string;
  gusto: { companyUuid?: string; status: ConnectionState['gusto']['status'] };
  acumatica: {
    baseUrl: string;
    tenant: string;
    branch?: string;
    endpointName: string;
    endpointVersion: string;
    auth: { kind: 'oauth2' | 'cookie'; clientId?: string; username: string };
    /**
     * Only when licence settings were given: the limits in force (`requestsPerMinute` null = not paced per
     * minute; `maxConcurrent` 2 unless given). Absent: not paced per minute, 2 requests in flight per tenant.
     */
    licence?: { requestsPerMinute: number | null; maxConcurrent: number };
  };
  mapping?: { version: number; acceptedAt: string; document: unknown };
  createdAt: string;
}

export const operator = (at: Date) => ({ actor: 'operator', at: at.toISOString() });

/** Creating connections, reading them back, accepting mappings, recording a lost Gusto grant. */
export class ConnectionService {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly readModel: ConnectionsReadModel,
    private readonly vault: Vault,
    private readonly catalog: GlCatalog,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly urlPolicy: OutboundUrlPolicy = allowAllUrls,
  ) {}

  async create(input: NewConnection, who: Acting = 'operator'): Promise<Outcome<ConnectionView>> {
    // A mapping given at creation is checked for shape only: the connection must be storable while
    // Acumatica is unreachable (spec). PUT …/mapping checks it against the chart of accounts.
    if (input.mapping !== undefined) {
      const parsed = parseMapping(input.mapping);
      if (!parsed.ok)
        return failure(
          'invalid_mapping',
          'the mapping document is invalid',
          parsed.errors.map((e) => `mapping.${e}`),
        );
    }
    const settings = await this.acumaticaSettings(input.acumatica, () => this.newId());
    if (!settings.ok) return settings;
    const { id, acumatica } = settings.value;
    const at = this.clock.now();
    const created = await this.repository.execute(
      id,
      (s) => create(s, { connectionId: id, name: input.name, acumatica }, at),
      actorMetadata(who, at),
    );
    if (!created.ok) return created;
    if (input.mapping !== undefined) {
      const accepted = await this.repository.execute(
        id,
        (s) => acceptMapping(s, input.mapping, at),
        actorMetadata(who, at),
      );
      if (!accepted.ok) return accepted;
      return success(toView(accepted.state as ConnectionState));
    }
    return success(toView(created.state as ConnectionState));
  }

  /**
   * The Acumatica settings as stored: the URL checked first (the connector will call it with the
   * customer's credentials: never an internal address), then the secrets sealed for the connection
   * (`idFor` is asked only once the URL passed).
   */
  private async acumaticaSettings(
    input: NewConnection['acumatica'],
    idFor: () => string,
  ): Promise<Outcome<{ id: string; acumatica: AcumaticaSettings }>> {
    const url = await this.urlPolicy.check(input.baseUrl);
    if (!url.ok) return failure('acumatica_url_not_allowed', url.message, [`acumatica.baseUrl: ${url.rule}`]);
    const id = idFor();
    const { auth, endpointName, ...rest } = input;
    return success({
      id,
      acumatica: { ...rest, endpointName: endpointName ?? 'Default', auth: sealAcumaticaAuth(this.vault, id, auth) },
    });
  }

  /**
   * PUT /api/connections/:id: the name and Acumatica settings replaced (the URL checked like at creation,
   * the secrets sealed anew). `ifRevision` (If-Match): only if nobody changed the connection since.
   */
  async update(
    id: string,
    input: Omit<NewConnection, 'mapping'>,
    who: Acting,
    ifRevision?: bigint,
  ): Promise<Outcome<{ view: ConnectionView; revision: bigint | 'no_stream' }>> {
    if (!(await this.readModel.getState(id))) return failure('connection_not_found', `no connection ${id}`);
    const settings = await this.acumaticaSettings(input.acumatica, () => id);
    if (!settings.ok) return settings;
    const { acumatica } = settings.value;
    const at = this.clock.now();
    const changed = await this.repository.execute(
      id,
      (s) => changeSettings(s, { name: input.name, acumatica }, at),
      actorMetadata(who, at),
      ifRevision,
    );
    if (!changed.ok) return changed;
    return success({ view: toView(changed.state as ConnectionState), revision: changed.revision });
  }

  /** DELETE /api/connections/:id: an event; from then on the connection's secrets are used for nothing. */
  async remove(id: string, who: Acting, ifRevision?: bigint): Promise<Outcome<{ id: string; deletedAt: string }>> {
    const at = this.clock.now();
    const deleted = await this.repository.execute(
      id,
      (s) => deleteConnection(s, at),
      actorMetadata(who, at),
      ifRevision,
    );
    if (!deleted.ok) return deleted;
    return success({ id, deletedAt: at.toISOString() });
  }

  async get(id: string): Promise<Outcome<ConnectionView>> {
    const state = await this.readModel.getState(id);
    return state ? success(toView(state)) : failure('connection_not_found', `no connection ${id}`);
  }

  async list(): Promise<ConnectionView[]> {
    return (await this.readModel.listStates()).map(toView);
  }

  /** 400 for a malformed document, 422 listing every missing/inactive account, else stored with the next version. */
  /** The connection's revision: its ETag. */
  revisionOf(id: string): Promise<bigint | 'no_stream'> {
    return this.repository.revisionOf(id);
  }

  /** `ifRevision` (from If-Match): accepted only if the connection is still at that revision — no silent overwrite. */
  async putMapping(
    id: string,
    document: unknown,
    ifRevision?: bigint,
    actor: Acting = 'operator',
  ): Promise<Outcome<{ version: number; acceptedAt: string; revision: bigint | 'no_stream' }>> {
    if (!(await this.readModel.getState(id))) return failure('connection_not_found', `no connection ${id}`);
    const parsed = parseMapping(document);
    if (!parsed.ok) return failure('invalid_mapping', 'the mapping document is invalid', parsed.errors);
    let problems: string[];
    try {
      problems = await this.catalog.problems(id, mappingReferences(parsed.mapping));
    } catch (error) {
      const message = error instanceof AcumaticaApiError ? error.message : String(error);
      return failure('acumatica_unavailable', `could not read the chart of accounts from Acumatica: ${message}`);
    }
    if (problems.length)
      return failure(
        'mapping_accounts_invalid',
        `${problems.length} account reference(s) are not usable in Acumatica`,
        problems,
      );
    const at = this.clock.now();
    const accepted = await this.repository.execute(
      id,
      (s) => acceptMapping(s, document, at),
      actorMetadata(actor, at),
      ifRevision,
    );
    if (!accepted.ok) return accepted;
    const mapping = required((accepted.state as ConnectionState).mapping, 'the mapping just accepted');
    return success({ version: mapping.version, acceptedAt: mapping.acceptedAt, revision: accepted.revision });
  }

  /** Gusto said invalid_grant: the connection shows needs_reauthorization until someone authorizes again. */
  async markAuthorizationLost(connectionId: string, companyUuid: string, detail: string): Promise<void> {
    const at = this.clock.now();
    await this.repository.execute(connectionId, (s) => loseGustoAuthorization(s, companyUuid, detail, at), {
      actor: 'system',
      at: at.toISOString(),
    });
  }
}

export function toView(c: ConnectionState): ConnectionView {
  const { auth } = c.acumatica;
  return {
    id: c.id,
    name: c.name,
    gusto: { ...(c.gusto.companyUuid ? { companyUuid: c.gusto.companyUuid } : {}), status: c.gusto.status },
    acumatica: {
      baseUrl: c.acumatica.baseUrl,
      tenant: c.acumatica.tenant,
      ...(c.acumatica.branch ? { branch: c.acumatica.branch } : {}),
      endpointName: c.acumatica.endpointName,
      endpointVersion: c.acumatica.endpointVersion,
      auth:
        auth.kind === 'oauth2'
          ? { kind: 'oauth2', clientId: auth.clientId, username: auth.username }
          : { kind: 'cookie', username: auth.username },
      ...(isConfigured(c.acumatica.licence)
        ? {
            licence: {
              requestsPerMinute: c.acumatica.licence.requestsPerMinute ?? null,
              maxConcurrent: c.acumatica.licence.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
            },
          }
        : {}),
    },
    ...(c.mapping
      ? { mapping: { version: c.mapping.version, acceptedAt: c.mapping.acceptedAt, document: c.mapping.document } }
      : {}),
    createdAt: c.createdAt,
  };
}
