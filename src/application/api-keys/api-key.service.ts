import type { Clock } from '../ports/clock.port';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import { API_KEY_EVENT_TYPES, API_KEY_STREAM_PREFIX, apiKeyStream, type ApiKeyEvent } from '../../domain/api-key/events';
import { createApiKey, isApiKeyRefusal, revokeApiKey, type ApiKeyError } from '../../domain/api-key/decide';
import { fold, type ApiKey } from '../../domain/api-key/state';
import type { Role } from '../../domain/api-key/roles';
import { keyIdOf, matchesHash, newKeyId, newKeySecret, sha256Hex } from './api-key-secret';
import { actorMetadata, keyPrincipalId, type Acting, type Principal } from './principal';

/** A key as it is listed: never its secret, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  connections: '*' | string[];
  status: 'active' | 'revoked';
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export type RevokeOutcome = { ok: true; key: ApiKeyView } | { ok: false; error: ApiKeyError; message: string };

const asEvents = (recorded: RecordedEvent[]): ApiKeyEvent[] => recorded.map((e) => ({ type: e.type, data: e.data }) as ApiKeyEvent);

function toView(key: ApiKey): ApiKeyView | undefined {
  if (key.status === 'none') return undefined;
  const { secretSha256: _hash, status, keyId, ...rest } = key;
  return { id: keyId, ...rest, status };
}

/**
 * API keys (issue 15): created with a secret shown once, stored as its SHA-256 in `api-key-<keyId>`,
 * revoked by an event. Every request is authenticated from the key's own stream (no cache): a revocation
 * takes effect on the next request of every instance sharing the event store.
 */
export class ApiKeyService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async create(cmd: { name: string; role: Role; connections: '*' | string[] }, actor: Acting): Promise<{ key: ApiKeyView; secret: string }> {
    const keyId = newKeyId();
    const secret = newKeySecret(keyId);
    const now = this.clock.now();
    const decision = createApiKey({ status: 'none' }, { keyId, ...cmd, secretSha256: sha256Hex(secret), createdBy: typeof actor === 'string' ? actor : actor.id }, now);
    if (isApiKeyRefusal(decision)) throw new Error(decision.message); // a fresh random id: cannot happen
    await this.store.append(apiKeyStream(keyId), decision.map((e) => ({ ...e, metadata: actorMetadata(actor, now) })), 'no_stream');
    return { key: toView(fold(decision))!, secret };
  }

  async list(): Promise<ApiKeyView[]> {
    const events = await this.store.readAll(undefined, { filter: { streamPrefixes: [API_KEY_STREAM_PREFIX], eventTypes: [...API_KEY_EVENT_TYPES] } });
    const byStream = new Map<string, ApiKeyEvent[]>();
    for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), { type: e.type, data: e.data } as ApiKeyEvent]);
    return [...byStream.values()].map((evs) => toView(fold(evs))).filter((v): v is ApiKeyView => v !== undefined);
  }

  async revoke(keyId: string, actor: Acting): Promise<RevokeOutcome> {
    if (!/^[0-9a-f]{16}$/.test(keyId)) return { ok: false, error: 'key_not_found', message: 'no such key' };
    for (let attempt = 0; ; attempt++) {
      const recorded = await this.store.readStream(apiKeyStream(keyId));
      const state = fold(asEvents(recorded));
      const now = this.clock.now();
      const decision = revokeApiKey(state, { revokedBy: typeof actor === 'string' ? actor : actor.id }, now);
      if (isApiKeyRefusal(decision)) return { ok: false, ...decision };
      try {
        await this.store.append(apiKeyStream(keyId), decision.map((e) => ({ ...e, metadata: actorMetadata(actor, now) })), recorded[recorded.length - 1]!.revision);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 3) continue;
        throw error;
      }
      return { ok: true, key: toView(fold(decision, state))! };
    }
  }

  /** The principal a presented `mlc_…` key stands for, or undefined (unknown, revoked, or wrong secret). */
  async authenticate(presented: string): Promise<Principal | undefined> {
    const keyId = keyIdOf(presented);
    if (!keyId) return undefined;
    const state = fold(asEvents(await this.store.readStream(apiKeyStream(keyId))));
    if (state.status !== 'active' || !matchesHash(presented, state.secretSha256)) return undefined;
    return { id: keyPrincipalId(keyId), role: state.role, connections: state.connections, name: state.name };
  }
}
