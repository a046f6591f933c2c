import {
  evolveCredentials,
  foldCredentials,
  initialCredentials,
  gustoCredentialsStream,
  planToken,
  type GustoCredentials,
  type GustoCredentialsEvent,
} from '../../domain/connection/gusto-credentials';
import type { Clock } from '../ports/clock.port';
import type { EventMetadata, EventStore } from '../ports/event-store.port';
import { GustoApiError } from '../ports/gusto.port';
import type { Vault } from '../ports/vault.port';
import { CommandHandler, type Loaded } from '../shared/command-handler';
import { gustoCredentialsAggregate } from './gusto-credentials-aggregate';
import { GustoOAuthError, type GustoOAuth, type GustoTokenSource, type UsableGustoToken } from './ports';
import { gustoTokenAad } from './sealed-settings';
import { required } from '../../domain/shared/required';

export interface GustoTokenOptions {
  /** Names this process in leases (e.g. "host:pid:random"). */
  holder: string;
  /** Refresh this long before expiry (Gusto suggests 60 s). */
  refreshAheadMs?: number;
  /** How long a refresh may take before another worker may try. */
  leaseMs?: number;
  /** How often a waiting worker re-reads the stream. */
  pollMs?: number;
  /** Give up waiting for another worker's refresh after this long. */
  maxWaitMs?: number;
  /** Called with every token opened or received, so the logger can scrub it (defence in depth). */
  onSecret?: (value: string) => void;
}

/** Told when Gusto rejected the refresh token, so the connection shows needs_reauthorization. */
export type AuthorizationLostHandler = (connectionId: string, companyUuid: string, detail: string) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Valid Gusto access tokens, single-flight. Within this process a promise per company makes concurrent
 * callers share one refresh; across processes the credentials stream's optimistic concurrency does (see
 * domain/connection/gusto-credentials.ts and docs/credentials.md).
 */
export class GustoTokenService implements GustoTokenSource {
  private readonly inflight = new Map<string, Promise<UsableGustoToken>>();
  private readonly folded = new Map<string, { state: GustoCredentials; revision: bigint }>();
  private readonly refreshAheadMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  /** Appends at the revision read, with name-based ids; a lost race is never retried here (someone else moved). */
  private readonly credentials: CommandHandler<GustoCredentials, GustoCredentialsEvent>;

  constructor(
    private readonly store: EventStore,
    private readonly vault: Vault,
    private readonly oauth: GustoOAuth,
    private readonly clock: Clock,
    private readonly onAuthorizationLost: AuthorizationLostHandler,
    private readonly options: GustoTokenOptions,
  ) {
    this.refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 50;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.credentials = new CommandHandler(store, gustoCredentialsAggregate, { maxAttempts: 1 });
  }

  async accessToken(companyUuid: string, rejectedGeneration?: number): Promise<UsableGustoToken> {
    for (;;) {
      let flight = this.inflight.get(companyUuid);
      if (!flight) {
        flight = this.obtain(companyUuid, rejectedGeneration).finally(() => this.inflight.delete(companyUuid));
        this.inflight.set(companyUuid, flight);
        return flight;
      }
      const token = await flight;
      // A flight started before our 401 may have handed out the very token that was rejected: go again.
      if (rejectedGeneration === undefined || token.generation > rejectedGeneration) return token;
    }
  }

  /**
   * The company's credentials as of now. Only events after the last one seen are read: the stream grows by
   * a few events per rotation (every two hours), and this runs before every Gusto call.
   */
  async read(companyUuid: string): Promise<{ state: GustoCredentials; expected: bigint | 'no_stream' }> {
    const seen = this.folded.get(companyUuid);
    const from = seen ? seen.revision + 1n : 0n;
    const recorded = await this.store.readStream(gustoCredentialsStream(companyUuid), from);
    if (recorded.length === 0)
      return seen
        ? { state: seen.state, expected: seen.revision }
        : { state: foldCredentials([]), expected: 'no_stream' };
    const state = recorded.reduce(
      (s, e) => evolveCredentials(s, { type: e.type, data: e.data } as GustoCredentialsEvent),
      seen?.state ?? initialCredentials,
    );
    const revision = recorded[recorded.length - 1].revision;
    this.folded.set(companyUuid, { state, revision });
    return { state, expected: revision };
  }

  private async obtain(companyUuid: string, rejectedGeneration: number | undefined): Promise<UsableGustoToken> {
    const stream = gustoCredentialsStream(companyUuid);
    const giveUpAt = Date.now() + this.maxWaitMs;
    for (;;) {
      const { state, expected } = await this.read(companyUuid);
      const now = this.clock.now();
      const plan = planToken(state, now, this.refreshAheadMs, rejectedGeneration);
      switch (plan.action) {
        case 'use': {
          const accessToken = this.vault.open(plan.tokens.accessToken, gustoTokenAad(companyUuid, 'access'));
          this.options.onSecret?.(accessToken);
          return { accessToken, generation: plan.tokens.generation };
        }
        case 'fail':
          throw plan.reason === 'not_connected'
            ? new GustoApiError(
                'not_connected',
                `Gusto company ${companyUuid} has no authorization; authorize the connection first`,
              )
            : new GustoApiError(
                'needs_reauthorization',
                `Gusto rejected the stored refresh token for company ${companyUuid}; authorize the connection again`,
              );
        case 'wait':
          if (Date.now() > giveUpAt)
            throw new GustoApiError(
              'timeout',
              `gave up waiting for another worker to refresh the Gusto token of company ${companyUuid}`,
            );
          await sleep(this.pollMs);
          continue;
        case 'refresh': {
          const until = new Date(now.getTime() + this.leaseMs).toISOString();
          const lease: GustoCredentialsEvent = {
            type: 'RefreshLeaseTaken',
            data: { holder: this.options.holder, until, takenAt: now.toISOString() },
          };
          const read: Loaded<GustoCredentials> = { stream, state, revision: expected, events: [] };
          const leased = await this.credentials.append(read, [lease], this.stamp());
          if (!leased) continue; // someone else moved first: see what they did
          const rotated = await this.refreshUnderLease(companyUuid, leased);
          if (rotated) return rotated;
          continue; // our lease was overtaken: our new tokens were never used, so the winner's stand
        }
      }
    }
  }

  /** Holding the lease: exchange the refresh token and persist the new pair before anyone uses it. */
  private async refreshUnderLease(
    companyUuid: string,
    leased: Loaded<GustoCredentials>,
  ): Promise<UsableGustoToken | null> {
    const holder = this.options.holder;
    const tokens = required(leased.state.tokens, 'the tokens being refreshed');
    const connectionId = leased.state.connectionId;
    const refreshToken = this.vault.open(tokens.refreshToken, gustoTokenAad(companyUuid, 'refresh'));
    let fresh;
    try {
      fresh = await this.oauth.refresh(refreshToken);
    } catch (error) {
      if (error instanceof GustoOAuthError && error.kind === 'invalid_grant') {
        const rejected: GustoCredentialsEvent = {
          type: 'RefreshTokenRejected',
          data: { holder, error: error.message, rejectedAt: this.clock.now().toISOString() },
        };
        await this.credentials.append(leased, [rejected], this.stamp()); // lost race: the lease was overtaken
        if (connectionId) await this.onAuthorizationLost(connectionId, companyUuid, error.message);
        throw new GustoApiError(
          'needs_reauthorization',
          `Gusto rejected the refresh token for company ${companyUuid} (invalid_grant); authorize the connection again`,
          error.status,
        );
      }
      const released: GustoCredentialsEvent = {
        type: 'RefreshLeaseReleased',
        data: { holder, reason: (error as Error).message, releasedAt: this.clock.now().toISOString() },
      };
      await this.credentials.append(leased, [released], this.stamp()); // lost race: the lease was overtaken
      throw new GustoApiError('unavailable', `refreshing the Gusto token failed: ${(error as Error).message}`);
    }
    this.options.onSecret?.(fresh.accessToken);
    this.options.onSecret?.(fresh.refreshToken);
    const now = this.clock.now();
    const event: GustoCredentialsEvent = {
      type: 'TokensRotated',
      data: {
        holder,
        accessToken: this.vault.seal(fresh.accessToken, gustoTokenAad(companyUuid, 'access')),
        refreshToken: this.vault.seal(fresh.refreshToken, gustoTokenAad(companyUuid, 'refresh')),
        expiresAt: new Date(now.getTime() + fresh.expiresIn * 1000).toISOString(),
        rotatedAt: now.toISOString(),
      },
    };
    const rotated = await this.credentials.append(leased, [event], this.stamp());
    if (!rotated) return null;
    return { accessToken: fresh.accessToken, generation: tokens.generation + 1 };
  }

  private stamp(): EventMetadata {
    return { actor: 'system', at: this.clock.now().toISOString() };
  }
}
