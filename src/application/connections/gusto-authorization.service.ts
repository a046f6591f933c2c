import { createHash, randomBytes } from 'node:crypto';
import {
  awaitConfirmation,
  checkAuthorizationState,
  completeGustoAuthorization,
  confirmGustoAuthorization,
  expectedCompany,
  failGustoAuthorization,
  findAwaiting,
  live,
  startGustoAuthorization,
} from '../../domain/connection/decide';
import {
  gustoCredentialsStream,
  issueTokens,
  type GustoCredentials,
  type GustoCredentialsEvent,
} from '../../domain/connection/gusto-credentials';
import type { ConnectionState } from '../../domain/connection/state';
import { actorMetadata, type Acting } from '../api-keys/principal';
import type { Clock } from '../ports/clock.port';
import { isRefused } from '../../domain/shared/decision';
import type { EventStore } from '../ports/event-store.port';
import { CommandHandler, RETRY } from '../shared/command-handler';
import type { Vault } from '../ports/vault.port';
import type { ConnectionRepository } from './connection-repository';
import { gustoCredentialsAggregate } from './gusto-credentials-aggregate';
import type { GustoTokenService } from './gusto-token.service';
import { GustoOAuthError, type GustoOAuth, type GustoTokenSet } from './ports';
import { failure, success, type Outcome } from './results';
import { sealGrant, type SealedGrant } from './gusto-grant';
import {
  CONFIRM_TTL_MS,
  STATE_TTL_MS,
  connectionIdOfState,
  newState,
  starterOf,
  stateHashOf,
  verifierAad,
} from './gusto-authorization-state';

export { CONFIRM_TTL_MS, STATE_TTL_MS, returnToOfState } from './gusto-authorization-state';

/** Two connections racing for one company: the loser reads again and is refused; a few attempts settle it. */
const BIND_ATTEMPTS = 6;

export type AuthorizationOutcome =
  | { connectionId: string; companyUuid: string; status: 'connected' }
  | { connectionId: string; companyUuid: string; companyName?: string; status: 'awaiting_confirmation' };

/**
 * The OAuth dance. The state is `<connectionId>.<256 random bits>`: the callback finds its connection
 * without a lookup table, and only the hash is stored, single-use and expiring. With PKCE (S256): the
 * verifier is sealed in the started event, so a code obtained outside this flow cannot be exchanged with
 * our state. The company: a code must be for the company the operator named when starting (or the one the
 * connection has); when none was named the callback only shows the company, and the principal who started
 * the authorization confirms it (`confirm`) before anything is bound.
 */
export class GustoAuthorizationService {
  private readonly credentials: CommandHandler<GustoCredentials, GustoCredentialsEvent>;

  constructor(
    private readonly repository: ConnectionRepository,
    store: EventStore,
    private readonly vault: Vault,
    private readonly oauth: GustoOAuth,
    private readonly tokens: GustoTokenService,
    private readonly clock: Clock,
  ) {
    this.credentials = new CommandHandler(store, gustoCredentialsAggregate, { maxAttempts: BIND_ATTEMPTS });
  }

  async start(
    connectionId: string,
    who: Acting = 'operator',
    expectedCompanyUuid?: string,
    returnTo?: string,
  ): Promise<Outcome<{ url: string }>> {
    const state = newState(connectionId, returnTo);
    const verifier = randomBytes(32).toString('base64url');
    let url: string;
    try {
      url = this.oauth.authorizeUrl(state, createHash('sha256').update(verifier).digest('base64url'));
    } catch (error) {
      return failure('gusto_not_configured', (error as Error).message);
    }
    const at = this.clock.now();
    const stateHash = stateHashOf(state);
    const start = {
      ...(typeof who === 'string'
        ? { startedBy: who }
        : { startedBy: who.id, ...(who.name ? { startedByName: who.name } : {}) }),
      ...(expectedCompanyUuid ? { expectedCompanyUuid } : {}),
      codeVerifier: this.vault.seal(verifier, verifierAad(connectionId, stateHash)),
    };
    const started = await this.repository.execute(
      connectionId,
      (s) => startGustoAuthorization(s, stateHash, new Date(at.getTime() + STATE_TTL_MS), at, start),
      actorMetadata(who, at),
    );
    return started.ok ? success({ url }) : started;
  }

  async complete(code: string, state: string): Promise<Outcome<AuthorizationOutcome>> {
    const connectionId = connectionIdOfState(state);
    const stateHash = stateHashOf(state);
    const { state: connection } = await this.repository.load(connectionId || '-');
    // The state is checked before the code is exchanged: a forged or replayed callback costs Gusto nothing.
    const invalid = checkAuthorizationState(connection, stateHash, this.clock.now());
    if (invalid)
      return failure(
        invalid.error === 'connection_not_found' ? 'authorization_state_unknown' : invalid.error,
        invalid.message,
      );
    const pending = (connection as ConnectionState).gusto.pending[stateHash];
    if (!pending)
      return failure(
        'authorization_state_unknown',
        'the authorization state is unknown or was already used; start the authorization again',
      );
    const who = starterOf(pending);

    let granted: GustoTokenSet;
    let companyUuid: string;
    try {
      const verifier = pending.codeVerifier
        ? this.vault.open(pending.codeVerifier, verifierAad(connectionId, stateHash))
        : undefined;
      granted = await this.oauth.exchangeCode(code, verifier);
      companyUuid = (await this.oauth.tokenInfo(granted.accessToken)).companyUuid;
    } catch (error) {
      const kind = error instanceof GustoOAuthError ? error.kind : 'unavailable';
      if (kind === 'not_configured') return failure('gusto_not_configured', (error as Error).message);
      await this.spend(connectionId, stateHash, `code exchange: ${kind}`, who);
      const refused = kind === 'invalid_grant' || kind === 'rejected' || kind === 'unauthorized';
      return failure(
        refused ? 'gusto_authorization_rejected' : 'gusto_authorization_failed',
        `Gusto did not complete the authorization: ${(error as Error).message}`,
      );
    }
    const now = this.clock.now();
    const sealed = sealGrant(this.vault, granted, companyUuid, now);

    if (expectedCompany(connection as ConnectionState, stateHash) === undefined) {
      // Nobody named the company: show it, hold the tokens, bind nothing until the starter confirms.
      const companyName = await this.oauth.companyName(granted.accessToken, companyUuid).catch(() => undefined);
      const { state: credentials } = await this.tokens.read(companyUuid);
      const boundTo = await this.liveBinding(credentials.connectionId);
      const held = await this.repository.execute(
        connectionId,
        (s) =>
          awaitConfirmation(
            s,
            {
              stateHash,
              companyUuid,
              ...(companyName ? { companyName } : {}),
              accessToken: sealed.accessToken,
              refreshToken: sealed.refreshToken,
              tokenExpiresAt: sealed.expiresAt,
              companyBoundTo: boundTo,
              confirmUntil: new Date(now.getTime() + CONFIRM_TTL_MS),
            },
            now,
          ),
        actorMetadata(who, now),
      );
      if (!held.ok) {
        if (held.error !== 'revision_mismatch') await this.spend(connectionId, stateHash, held.error, who);
        return held;
      }
      return success({
        connectionId,
        companyUuid,
        ...(companyName ? { companyName } : {}),
        status: 'awaiting_confirmation',
      });
    }
    return this.bind(
      connectionId,
      companyUuid,
      sealed,
      who,
      (s, boundTo, at) => completeGustoAuthorization(s, { stateHash, companyUuid, companyBoundTo: boundTo }, at),
      stateHash,
    );
  }

  /** The starter confirms the company a held code is for (POST /api/connections/:id/gusto/confirm). */
  async confirm(connectionId: string, companyUuid: string, who: Acting): Promise<Outcome<AuthorizationOutcome>> {
    const by = typeof who === 'string' ? who : who.id;
    const { state } = await this.repository.load(connectionId);
    const found = findAwaiting(state, companyUuid, by, this.clock.now());
    if ('error' in found) return failure(found.error, found.message);
    const { awaiting } = found;
    return this.bind(
      connectionId,
      companyUuid,
      { accessToken: awaiting.accessToken, refreshToken: awaiting.refreshToken, expiresAt: awaiting.tokenExpiresAt },
      who,
      (s, boundTo, at) => confirmGustoAuthorization(s, { companyUuid, by, companyBoundTo: boundTo }, at),
      found.stateHash,
    );
  }

  /**
   * Binds the company to this connection in its credentials stream; the expected revision makes two
   * connections racing for one company safe: one wins, the other re-reads and is refused.
   */
  private async bind(
    connectionId: string,
    companyUuid: string,
    sealed: SealedGrant,
    who: Acting,
    decide: (
      s: Parameters<typeof completeGustoAuthorization>[0],
      companyBoundTo: string | undefined,
      at: Date,
    ) => ReturnType<typeof completeGustoAuthorization>,
    stateHash: string,
  ): Promise<Outcome<AuthorizationOutcome>> {
    const issued = await this.credentials.attempt(
      gustoCredentialsStream(companyUuid),
      async (loaded): Promise<Outcome<AuthorizationOutcome> | 'issued' | typeof RETRY> => {
        const { state: connection } = await this.repository.load(connectionId);
        const boundTo = await this.liveBinding(loaded.state.connectionId);
        const now = this.clock.now();
        const dryRun = decide(connection, boundTo, now);
        if (isRefused(dryRun)) {
          if (dryRun.error !== 'authorization_not_found' && dryRun.error !== 'authorization_started_by_another')
            await this.spend(connectionId, stateHash, dryRun.error, who);
          return failure(dryRun.error, dryRun.message);
        }
        const tokens = issueTokens(
          { ...loaded.state, connectionId: boundTo },
          { connectionId, companyUuid, ...sealed, issuedAt: now.toISOString() },
        );
        if (isRefused(tokens)) {
          await this.spend(connectionId, stateHash, tokens.error, who);
          return failure(
            'company_already_connected',
            `Gusto company ${companyUuid} is already connected to another connection; one connection per Gusto company`,
          );
        }
        // Appended at the revision read, with name-based ids: a lost race reads again and decides anew.
        return (await this.credentials.append(loaded, tokens.events, actorMetadata(who, now))) ? 'issued' : RETRY;
      },
    );
    if (issued !== 'issued') return issued.ok ? issued : failure(issued.error, issued.message);
    const at = this.clock.now();
    const done = await this.repository.execute(
      connectionId,
      (s) => decide(s, connectionId, at),
      actorMetadata(who, at),
    );
    return done.ok ? success({ connectionId, companyUuid, status: 'connected' }) : done;
  }

  /** The connection a company's grant is bound to, unless that connection was deleted (the company is free again). */
  private async liveBinding(connectionId: string | undefined): Promise<string | undefined> {
    if (connectionId === undefined) return undefined;
    return live((await this.repository.load(connectionId)).state) ? connectionId : undefined;
  }

  /** Single use means single use: a state that reached Gusto is spent even when the authorization failed. */
  private async spend(connectionId: string, stateHash: string, reason: string, who: Acting): Promise<void> {
    const at = this.clock.now();
    await this.repository.execute(
      connectionId,
      (s) => failGustoAuthorization(s, stateHash, reason, at),
      actorMetadata(who, at),
    );
  }
}
