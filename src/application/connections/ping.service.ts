import type { ConnectionsReadModel } from './connections-read-model';
import {
  GustoOAuthError,
  type AcumaticaPingResult,
  type AcumaticaProbe,
  type GustoOAuth,
  type GustoTokenSource,
} from './ports';
import { failure, success, type Outcome } from './results';

export interface PingResult {
  gusto: { ok: boolean; companyUuid: string | null; companyName?: string; error?: string };
  acumatica: AcumaticaPingResult;
}

/** POST /api/connections/:id/ping: can we talk to both sides right now, and if not, why (in words). */
export class PingService {
  constructor(
    private readonly readModel: ConnectionsReadModel,
    private readonly tokens: GustoTokenSource,
    private readonly oauth: GustoOAuth,
    private readonly acumatica: AcumaticaProbe,
  ) {}

  async ping(connectionId: string): Promise<Outcome<PingResult>> {
    const connection = await this.readModel.getState(connectionId);
    if (!connection) return failure('connection_not_found', `no connection ${connectionId}`);
    const [gusto, acumatica] = await Promise.all([this.pingGusto(connection.gusto), this.pingAcumatica(connectionId)]);
    return success({ gusto, acumatica });
  }

  private async pingAcumatica(connectionId: string): Promise<AcumaticaPingResult> {
    const { errorKind, ...result } = await this.acumatica.probe(connectionId);
    if (errorKind !== 'unauthorized') return result;
    return {
      ...result,
      error: `authentication failed: Acumatica refused the stored credentials, also after a fresh sign-in (${result.error ?? 'no reason given'}); check the integration user's password and the connected application (OAuth client) in Acumatica`,
    };
  }

  private async pingGusto(gusto: { status: string; companyUuid?: string }): Promise<PingResult['gusto']> {
    const companyUuid = gusto.companyUuid ?? null;
    if (gusto.status === 'needs_reauthorization') {
      return {
        ok: false,
        companyUuid,
        error: 'needs_reauthorization: Gusto rejected the stored grant; authorize the connection with Gusto again',
      };
    }
    if (!gusto.companyUuid)
      return { ok: false, companyUuid, error: 'not_connected: authorize the connection with Gusto first' };
    try {
      const company = gusto.companyUuid;
      const token = await this.tokens.accessToken(company);
      // A 401 on a token believed valid: the same single-flight refresh as any call, then one retry.
      const companyName = await this.oauth.companyName(token.accessToken, company).catch(async (error: unknown) => {
        if (!(error instanceof GustoOAuthError) || error.kind !== 'unauthorized') throw error;
        return this.oauth.companyName((await this.tokens.accessToken(company, token.generation)).accessToken, company);
      });
      return { ok: true, companyUuid, ...(companyName ? { companyName } : {}) };
    } catch (error) {
      return { ok: false, companyUuid, error: (error as Error).message };
    }
  }
}
