import { createHash, randomBytes } from 'node:crypto';
import { checkAuthorizationState, completeGustoAuthorization, failGustoAuthorization, isRefusal, startGustoAuthorization } from '../../domain/connection/decide';
import { gustoCredentialsStream, issueTokens } from '../../domain/connection/gusto-credentials';
import type { Clock } from '../ports/clock.port';
import { WrongExpectedRevisionError, type EventStore } from '../ports/event-store.port';
import type { Vault } from '../ports/vault.port';
import type { ConnectionRepository } from './connection-repository';
import { operator } from './connection.service';
import type { GustoTokenService } from './gusto-token.service';
import { GustoOAuthError, type GustoOAuth, type GustoTokenSet } from './ports';
import { failure, success, type Outcome } from './results';
import { gustoTokenAad } from './sealed-settings';

/** Gusto's authorization code lives 10 minutes; a state need not outlive it. */
export const STATE_TTL_MS = 10 * 60_000;

const hash = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

/**
 * The OAuth dance. The state is `<connectionId>.<256 random bits>`: the callback finds its connection
 * without a lookup table, and only the hash is stored, single-use and expiring.
 */
export class GustoAuthorizationService {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly store: EventStore,
    private readonly vault: Vault,
    private readonly oauth: GustoOAuth,
    private readonly tokens: GustoTokenService,
    private readonly clock: Clock,
  ) {}

  async start(connectionId: string): Promise<Outcome<{ url: string }>> {
    const state = `${connectionId}.${randomBytes(32).toString('base64url')}`;
    let url: string;
    try {
      url = this.oauth.authorizeUrl(state);
    } catch (error) {
      return failure('gusto_not_configured', (error as Error).message);
    }
    const at = this.clock.now();
    const started = await this.repository.execute(connectionId, (s) => startGustoAuthorization(s, hash(state), new Date(at.getTime() + STATE_TTL_MS), at), operator(at));
    return started.ok ? success({ url }) : started;
  }

  async complete(code: string, state: string): Promise<Outcome<{ connectionId: string; companyUuid: string }>> {
    const connectionId = state.slice(0, Math.max(0, state.lastIndexOf('.')));
    const stateHash = hash(state);
    const { state: connection } = await this.repository.load(connectionId || '-');
    // The state is checked before the code is exchanged: a forged or replayed callback costs Gusto nothing.
    const invalid = checkAuthorizationState(connection, stateHash, this.clock.now());
    if (invalid) return failure(invalid.error === 'connection_not_found' ? 'authorization_state_unknown' : invalid.error, invalid.message);

    let granted: GustoTokenSet;
    let companyUuid: string;
    try {
      granted = await this.oauth.exchangeCode(code);
      companyUuid = (await this.oauth.tokenInfo(granted.accessToken)).companyUuid;
    } catch (error) {
      const kind = error instanceof GustoOAuthError ? error.kind : 'unavailable';
      if (kind === 'not_configured') return failure('gusto_not_configured', (error as Error).message);
      await this.spend(connectionId, stateHash, `code exchange: ${kind}`);
      const refused = kind === 'invalid_grant' || kind === 'rejected' || kind === 'unauthorized';
      return failure(refused ? 'gusto_authorization_rejected' : 'gusto_authorization_failed', `Gusto did not complete the authorization: ${(error as Error).message}`);
    }

    // Bind the company to this connection in its credentials stream; the expected revision makes two
    // connections racing for one company safe: one wins, the other re-reads and is refused.
    for (let attempt = 0; ; attempt++) {
      const { state: credentials, expected } = await this.tokens.read(companyUuid);
      const now = this.clock.now();
      const dryRun = completeGustoAuthorization(connection, { stateHash, companyUuid, companyBoundTo: credentials.connectionId }, now);
      if (isRefusal(dryRun)) {
        await this.spend(connectionId, stateHash, dryRun.error);
        return failure(dryRun.error, dryRun.message);
      }
      const issued = issueTokens(credentials, {
        connectionId,
        companyUuid,
        accessToken: this.vault.seal(granted.accessToken, gustoTokenAad(companyUuid, 'access')),
        refreshToken: this.vault.seal(granted.refreshToken, gustoTokenAad(companyUuid, 'refresh')),
        expiresAt: new Date(now.getTime() + granted.expiresIn * 1000).toISOString(),
        issuedAt: now.toISOString(),
      });
      if (!Array.isArray(issued)) {
        await this.spend(connectionId, stateHash, issued.error);
        return failure('company_already_connected', `Gusto company ${companyUuid} is already connected to connection ${issued.boundTo}`);
      }
      try {
        await this.store.append(gustoCredentialsStream(companyUuid), issued.map((e) => ({ ...e, metadata: operator(now) })), expected);
        break;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 5) continue;
        throw error;
      }
    }
    const at = this.clock.now();
    const done = await this.repository.execute(connectionId, (s) => completeGustoAuthorization(s, { stateHash, companyUuid, companyBoundTo: connectionId }, at), operator(at));
    return done.ok ? success({ connectionId, companyUuid }) : done;
  }

  /** Single use means single use: a state that reached Gusto is spent even when the authorization failed. */
  private async spend(connectionId: string, stateHash: string, reason: string): Promise<void> {
    const at = this.clock.now();
    await this.repository.execute(connectionId, (s) => failGustoAuthorization(s, stateHash, reason, at), operator(at));
  }
}
