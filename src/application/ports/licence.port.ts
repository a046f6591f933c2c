import type { LicenceLimits } from '../../domain/licence/licence-limits';
import type { LicenceShare } from '../../domain/licence/licence-share';

/** This instance's part of each Acumatica tenant's licence, agreed with the other instances. */
export const LICENCE_SHARES = Symbol('LICENCE_SHARES');

export interface LicenceGrant extends LicenceShare {
  /** No request before this instant (ms since the epoch): still joining, or waiting out the peers' charges. */
  notBefore: number;
}

export interface LicenceShares {
  /** The licence's minute in ms (60,000 outside tests and benchmarks). */
  readonly windowMs: number;
  /** The share now; the first call for a tenant starts coordinating for it. Never waits. */
  shareFor(tenantKey: string, limits: LicenceLimits | undefined): LicenceGrant;
  /** Called whenever a tenant's share may have changed, so held-back requests are looked at again. */
  onChange(listener: (tenantKey: string) => void): void;
}
