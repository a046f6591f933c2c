import { AcumaticaApiError } from '../ports/acumatica.port';
import type { Connections } from '../ports/connections.port';
import type { GlCatalog } from '../connections/gl-catalog';
import { ok, refuse, type ConsoleOutcome } from './results';

export interface AccountRow {
  accountCd: string;
  description: string | null;
  type: string | null;
  active: boolean;
}

export interface SubaccountRow {
  subaccountCd: string;
  description: string | null;
  active: boolean;
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The tenant's chart of accounts and subaccounts for the mapping editor's pickers, read through the same
 * cached catalog that checks a mapping (changed records only after the first read).
 */
export class ChartOfAccounts {
  constructor(
    private readonly connections: Connections,
    private readonly catalog: GlCatalog,
  ) {}

  async accounts(connectionId: string, activeOnly: boolean): Promise<ConsoleOutcome<{ accounts: AccountRow[] }>> {
    return this.read(connectionId, (chart) => {
      const rows = [...chart.accounts.values()]
        .filter((a) => a.accountCD && (!activeOnly || a.active))
        .map((a) => ({
          accountCd: a.accountCD,
          description: a.description ?? null,
          type: a.type ?? null,
          active: a.active,
        }));
      return { accounts: rows.sort((a, b) => byCode(a.accountCd, b.accountCd)) };
    });
  }

  /** `enabled: false` when the Subaccounts feature is off in Acumatica (then no subaccount may be mapped). */
  async subaccounts(
    connectionId: string,
    activeOnly: boolean,
  ): Promise<ConsoleOutcome<{ subaccounts: SubaccountRow[]; enabled: boolean }>> {
    return this.read(connectionId, (chart) => {
      if (chart.subaccounts === 'disabled') return { subaccounts: [], enabled: false };
      const rows = [...chart.subaccounts.values()]
        .filter((s) => s.subaccountCD && (!activeOnly || s.active))
        .map((s) => ({ subaccountCd: s.subaccountCD, description: s.description ?? null, active: s.active }));
      return { subaccounts: rows.sort((a, b) => byCode(a.subaccountCd, b.subaccountCd)), enabled: true };
    });
  }

  private async read<T>(
    connectionId: string,
    shape: (chart: Awaited<ReturnType<GlCatalog['chart']>>) => T,
  ): Promise<ConsoleOutcome<T>> {
    if (!(await this.connections.get(connectionId))) return refuse('connection_not_found', 'no such connection');
    try {
      return ok(shape(await this.catalog.chart(connectionId)));
    } catch (error) {
      if (!(error instanceof AcumaticaApiError)) throw error;
      return acumaticaRefusal(error);
    }
  }
}

/** An Acumatica failure in the words ping uses. */
export function acumaticaRefusal<T>(error: AcumaticaApiError): ConsoleOutcome<T> {
  switch (error.kind) {
    case 'unauthorized':
      return refuse(
        'acumatica_authentication_failed',
        `authentication failed: Acumatica refused the stored credentials, also after a fresh sign-in (${error.message}); check the integration user's password and the connected application (OAuth client) in Acumatica`,
      );
    case 'endpoint_version_not_available':
      return refuse('acumatica_endpoint_version_not_available', error.message, {
        availableVersions: error.availableVersions ?? [],
      });
    default:
      return refuse('acumatica_unavailable', `Acumatica could not be read: ${error.message}`, { kind: error.kind });
  }
}
