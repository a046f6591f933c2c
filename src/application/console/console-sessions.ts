import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../ports/clock.port';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { Vault } from '../ports/vault.port';
import { apiKeyStream, type ApiKeyEvent } from '../../domain/api-key/events';
import { fold as foldKey, type ApiKey } from '../../domain/api-key/state';
import type { Role } from '../../domain/api-key/roles';
import {
  CONSOLE_SESSION_EVENT_TYPES,
  consoleSessionStream,
  type ConsoleSessionEvent,
} from '../../domain/console-session/events';
import {
  NO_SESSION,
  endSession,
  evolve as evolveSession,
  sessionStands,
  startSession,
  type ConsoleSession,
} from '../../domain/console-session/decide';
import { CommandHandler, aggregateOf } from '../shared/command-handler';
import { keyIdOf, matchesHash } from '../api-keys/api-key-secret';
import { ADMIN_TOKEN_PRINCIPAL, keyPrincipalId, type Principal } from '../api-keys/principal';

/** Who is signed in, as the console shows it (never a secret). */
export interface PrincipalView {
  kind: 'key' | 'admin-token';
  keyId?: string;
  name: string;
  role: Role;
  connections: string[] | '*';
}

export interface ResolvedSession {
  sessionId: string;
  principal: Principal;
  view: PrincipalView;
  csrfToken: string;
}

export interface SignedIn extends ResolvedSession {
  /** The cookie's value: the vault-sealed session, opaque to the browser. */
  cookie: string;
  expiresAt: Date;
}

/** What the sealed cookie holds: which session, whose, bound to which key (a fingerprint), until when, and the CSRF seed. */
interface SessionSeal {
  v: 1;
  sid: string;
  p: string;
  h: string;
  exp: string;
  csrf: string;
}

const SEAL_CONTEXT = 'console-session';
/** A sign-in writes a new stream and a sign-out ends it: a lost race is re-decided on what the winner wrote. */
const SESSION_ATTEMPTS = 3;
const sessionAggregate = aggregateOf(NO_SESSION, evolveSession, CONSOLE_SESSION_EVENT_TYPES);
const FINGERPRINT_HEX = 32;
const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export interface ConsoleSessionSettings {
  /** How long a session lasts from sign-in (the cookie expires at the same time). */
  ttlMs: number;
  newSessionId?: () => string;
  newCsrfSeed?: () => string;
}

/**
 * Console sign-in (issue 16). The browser presents an API key (or the admin token) once; it gets back a
 * cookie holding a vault-sealed `{ session, principal, key fingerprint, expiry, CSRF seed }` — no secret in
 * clear, unforgeable without MLC_ENCRYPTION_KEY. Every request re-checks the session's stream (signed out?)
 * and the key's stream (revoked?), so a revocation or a sign-out holds at the next request on every instance.
 */
export class ConsoleSessions {
  private readonly adminTokenSha256: Buffer;
  private readonly adminFingerprint: string;
  private readonly sessions: CommandHandler<ConsoleSession, ConsoleSessionEvent>;

  constructor(
    private readonly store: EventStore,
    private readonly vault: Vault,
    private readonly clock: Clock,
    adminToken: string,
    private readonly settings: ConsoleSessionSettings,
  ) {
    this.adminTokenSha256 = createHash('sha256').update(adminToken, 'utf8').digest();
    this.adminFingerprint = sha256Hex(adminToken).slice(0, FINGERPRINT_HEX);
    this.sessions = new CommandHandler(store, sessionAggregate, { maxAttempts: SESSION_ATTEMPTS });
  }

  /** A new session for the presented key or admin token; undefined when it is neither (or revoked). */
  async signIn(presented: string): Promise<SignedIn | undefined> {
    const who = await this.identify(presented);
    if (!who) return undefined;
    const now = this.clock.now();
    const sessionId = (this.settings.newSessionId ?? (() => randomBytes(16).toString('hex')))();
    const started = await this.sessions.handle(
      consoleSessionStream(sessionId),
      (s) => startSession(s, { sessionId, principal: who.principal.id, ttlMs: this.settings.ttlMs }, now),
      { actor: who.principal.id, at: now.toISOString() },
    );
    // A fresh random id: session_exists cannot happen, and nothing else writes to a session not yet handed out.
    if (!started.ok) throw new Error(`console session not started: ${started.error}`);
    if (started.state.status === 'none') throw new Error('console session not started');
    const expiresAt = new Date(started.state.expiresAt);
    const csrfToken = (this.settings.newCsrfSeed ?? (() => randomBytes(32).toString('base64url')))();
    const seal: SessionSeal = {
      v: 1,
      sid: sessionId,
      p: who.principal.id,
      h: who.fingerprint,
      exp: expiresAt.toISOString(),
      csrf: csrfToken,
    };
    const sealed = this.vault.seal(JSON.stringify(seal), SEAL_CONTEXT);
    const cookie = `${sealed.keyId}.${Buffer.from(sealed.sealed, 'base64').toString('base64url')}`;
    return { sessionId, principal: who.principal, view: who.view, csrfToken, cookie, expiresAt };
  }

  /** The session a cookie stands for, re-checked now; undefined when forged, expired, signed out or its key revoked. */
  async resolve(cookie: string): Promise<ResolvedSession | undefined> {
    const seal = this.open(cookie);
    const now = this.clock.now();
    if (!seal || Date.parse(seal.exp) <= now.getTime()) return undefined;
    const { state: session } = await this.sessions.load(consoleSessionStream(seal.sid));
    if (!sessionStands(session, seal.p, now)) return undefined;
    const who = await this.principalOf(seal.p, seal.h);
    return who ? { sessionId: seal.sid, principal: who.principal, view: who.view, csrfToken: seal.csrf } : undefined;
  }

  /** Ends the cookie's session (recorded, so the cookie is dead on every instance). Unknown or dead cookies: nothing. */
  async signOut(cookie: string, actor: string): Promise<void> {
    const seal = this.open(cookie);
    if (!seal) return;
    const now = this.clock.now();
    const ended = await this.sessions.handle(consoleSessionStream(seal.sid), (s) => endSession(s, now), {
      actor,
      at: now.toISOString(),
    });
    if (!ended.ok) throw new Error(`console session not ended: ${ended.error}`);
  }

  private open(cookie: string): SessionSeal | undefined {
    const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{20,4096})$/.exec(cookie);
    if (!match) return undefined;
    try {
      const parsed = JSON.parse(
        this.vault.open(
          { keyId: match[1], sealed: Buffer.from(match[2], 'base64url').toString('base64') },
          SEAL_CONTEXT,
        ),
      ) as SessionSeal;
      return parsed &&
        parsed.v === 1 &&
        typeof parsed.sid === 'string' &&
        typeof parsed.p === 'string' &&
        typeof parsed.csrf === 'string'
        ? parsed
        : undefined;
    } catch {
      return undefined; // forged, altered, or sealed under a key this service no longer holds
    }
  }

  private async identify(
    presented: string,
  ): Promise<{ principal: Principal; view: PrincipalView; fingerprint: string } | undefined> {
    const given = createHash('sha256').update(presented, 'utf8').digest();
    if (timingSafeEqual(given, this.adminTokenSha256)) return { ...adminToken(), fingerprint: this.adminFingerprint };
    const keyId = keyIdOf(presented);
    if (!keyId) return undefined;
    const key = await this.readKey(keyId);
    if (key.status !== 'active' || !matchesHash(presented, key.secretSha256)) return undefined;
    return { ...keyPrincipal(key), fingerprint: key.secretSha256.slice(0, FINGERPRINT_HEX) };
  }

  /** The principal a session names, if the key (or admin token) it was opened with still holds. */
  private async principalOf(
    principalId: string,
    fingerprint: string,
  ): Promise<{ principal: Principal; view: PrincipalView } | undefined> {
    if (principalId === ADMIN_TOKEN_PRINCIPAL.id)
      return fingerprint === this.adminFingerprint ? adminToken() : undefined;
    const keyId = /^key:([0-9a-f]{16})$/.exec(principalId)?.[1];
    if (!keyId) return undefined;
    const key = await this.readKey(keyId);
    return key.status === 'active' && key.secretSha256.slice(0, FINGERPRINT_HEX) === fingerprint
      ? keyPrincipal(key)
      : undefined;
  }

  private async readKey(keyId: string): Promise<ApiKey> {
    const recorded: RecordedEvent[] = await this.store.readStream(apiKeyStream(keyId));
    return foldKey(recorded.map((e) => ({ type: e.type, data: e.data }) as ApiKeyEvent));
  }
}

function adminToken(): { principal: Principal; view: PrincipalView } {
  return {
    principal: ADMIN_TOKEN_PRINCIPAL,
    view: { kind: 'admin-token', name: 'admin token', role: 'admin', connections: '*' },
  };
}

function keyPrincipal(key: Extract<ApiKey, { status: 'active' | 'revoked' }>): {
  principal: Principal;
  view: PrincipalView;
} {
  const connections = key.connections === '*' ? '*' : [...key.connections];
  return {
    principal: { id: keyPrincipalId(key.keyId), role: key.role, connections },
    view: { kind: 'key', keyId: key.keyId, name: key.name, role: key.role, connections },
  };
}
