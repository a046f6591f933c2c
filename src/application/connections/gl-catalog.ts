import { AcumaticaApiError, type AcumaticaApi, type GlAccount, type GlSubaccount } from '../ports/acumatica.port';
import type { MappingReference } from '../../domain/mapping';

interface Chart {
  accounts: Map<string, GlAccount>;
  subaccounts: Map<string, GlSubaccount> | 'disabled';
  accountsSeen?: string;
  subaccountsSeen?: string;
}

const latest = (current: string | undefined, rows: Array<{ lastModifiedDateTime?: string }>): string | undefined =>
  rows.reduce<string | undefined>(
    (max, r) =>
      r.lastModifiedDateTime && (!max || Date.parse(r.lastModifiedDateTime) > Date.parse(max))
        ? r.lastModifiedDateTime
        : max,
    current,
  );

/**
 * Each connection's chart of accounts and subaccounts, cached: the first read lists everything, later
 * reads ask only for records changed since the newest `LastModifiedDateTime` seen (reference §5.4), so an
 * account deactivated in Acumatica a minute ago is seen without re-reading the whole chart.
 */
export class GlCatalog {
  private readonly charts = new Map<string, Chart>();

  constructor(private readonly acumatica: AcumaticaApi) {}

  async chart(connectionId: string): Promise<Chart> {
    const held = this.charts.get(connectionId);
    const accounts = await this.acumatica.listAccounts(connectionId, held?.accountsSeen);
    const chart: Chart = held ?? { accounts: new Map(), subaccounts: new Map() };
    for (const a of accounts) chart.accounts.set(a.accountCD, a);
    chart.accountsSeen = latest(chart.accountsSeen, accounts);
    try {
      const subs = await this.acumatica.listSubaccounts(connectionId, held?.subaccountsSeen);
      if (chart.subaccounts === 'disabled') chart.subaccounts = new Map();
      for (const s of subs) chart.subaccounts.set(s.subaccountCD, s);
      chart.subaccountsSeen = latest(chart.subaccountsSeen, subs);
    } catch (error) {
      // The Subaccount entity answers 403 when the Subaccounts feature is off (reference §4.4).
      if (error instanceof AcumaticaApiError && error.kind === 'forbidden') chart.subaccounts = 'disabled';
      else throw error;
    }
    this.charts.set(connectionId, chart);
    return chart;
  }

  forget(connectionId: string): void {
    this.charts.delete(connectionId);
  }

  /** Every reference that is missing or inactive, named by the mapping key that holds it. */
  async problems(connectionId: string, references: readonly MappingReference[]): Promise<string[]> {
    const chart = await this.chart(connectionId);
    const problems: string[] = [];
    for (const ref of references) {
      if (ref.kind === 'account') {
        const account = chart.accounts.get(ref.value);
        if (!account) problems.push(`${ref.key}: account ${ref.value} does not exist in Acumatica`);
        else if (!account.active) problems.push(`${ref.key}: account ${ref.value} is inactive in Acumatica`);
        continue;
      }
      if (chart.subaccounts === 'disabled') {
        problems.push(
          `${ref.key}: subaccount ${ref.value} cannot be used: the Subaccounts feature is off in Acumatica`,
        );
        continue;
      }
      const sub = chart.subaccounts.get(ref.value);
      if (!sub) problems.push(`${ref.key}: subaccount ${ref.value} does not exist in Acumatica`);
      else if (!sub.active) problems.push(`${ref.key}: subaccount ${ref.value} is inactive in Acumatica`);
    }
    return problems;
  }
}
