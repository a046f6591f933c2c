import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import {
  API_KEY_EVENT_TYPES,
  API_KEY_STREAM_PREFIX,
  apiKeyStream,
  type ApiKeyEvent,
} from '../../domain/api-key/events';
import { createApiKey, revokeApiKey, type ApiKeyError } from '../../domain/api-key/decide';
import { evolve, fold, NO_KEY, type ApiKey } from '../../domain/api-key/state';
import { CommandHandler, aggregateOf, type Aggregate } from '../shared/command-handler';
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

export type RevokeOutcome =
  { ok: true; key: ApiKeyView } | { ok: false; error: ApiKeyError | 'write_conflict'; message: string };

const apiKeyAggregate: Aggregate<ApiKey, ApiKeyEvent> = aggregateOf(NO_KEY, evolve, API_KEY_EVENT_TYPES);

function toView(key: ApiKey): ApiKeyView | undefined {
  if (key.status === 'none') return undefined;
  const { secretSha256: _hash, status, keyId, ...rest } = key;
  return { id: keyId, ...rest, status };
}

/** After a create or a revoke the key exists. */
function existing(key: ApiKey): ApiKeyView {
  const view = toView(key);
  if (!view) throw new Error('the key has no events');
  return view;
}

/**
 * API keys (issue 15): created with a secret shown once, stored as its SHA-256 in `api-key-<keyId>`,
 * revoked by an event. Every request is authenticated from the key's own stream (no cache): a revocation
 * takes effect on the next request of every instance sharing the event store.
 */
export class ApiKeyService {
  private readonly keys: CommandHandler<ApiKey, ApiKeyEvent>;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    this.keys = new CommandHandler(store, apiKeyAggregate, { maxAttempts: 4 });
  }

  async create(
    cmd: { name: string; role: Role; connections: '*' | string[] },
    actor: Acting,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    const keyId = newKeyId();
    const secret = newKeySecret(keyId);
    const now = this.clock.now();
    const out = await this.keys.handle(
      apiKeyStream(keyId),
      (state) =>
        createApiKey(
          state,
          { keyId, ...cmd, secretSha256: sha256Hex(secret), createdBy: typeof actor === 'string' ? actor : actor.id },
          now,
        ),
      actorMetadata(actor, now),
    );
    if (!out.ok) throw new Error(out.message); // a fresh random id: cannot happen
    return { key: existing(out.state), secret };
  }

  async list(): Promise<ApiKeyView[]> {
    const events = await this.store.readAll(undefined, {
      filter: { streamPrefixes: [API_KEY_STREAM_PREFIX], eventTypes: [...API_KEY_EVENT_TYPES] },
    });
    const byStream = new Map<string, ApiKeyEvent[]>();
    for (const e of events)
      byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), { type: e.type, data: e.data } as ApiKeyEvent]);
    return [...byStream.values()].map((evs) => toView(fold(evs))).filter((v): v is ApiKeyView => v !== undefined);
  }

  async revoke(keyId: string, actor: Acting): Promise<RevokeOutcome> {
    if (!/^[0-9a-f]{16}$/.test(keyId)) return { ok: false, error: 'key_not_found', message: 'no such key' };
    const now = this.clock.now();
    const out = await this.keys.handle(
      apiKeyStream(keyId),
      (state) => revokeApiKey(state, { revokedBy: typeof actor === 'string' ? actor : actor.id }, now),
      actorMetadata(actor, now),
    );
    if (!out.ok)
      return {
        ok: false,
        error: out.error === 'revision_mismatch' ? 'write_conflict' : out.error,
        message: out.message,
      };
    return { ok: true, key: existing(out.state) };
  }

  /** The principal a presented `mlc_…` key stands for, or undefined (unknown, revoked, or wrong secret). */
  async authenticate(presented: string): Promise<Principal | undefined> {
    const keyId = keyIdOf(presented);
    if (!keyId) return undefined;
    const { state } = await this.keys.load(apiKeyStream(keyId));
    if (state.status !== 'active' || !matchesHash(presented, state.secretSha256)) return undefined;
    return { id: keyPrincipalId(keyId), role: state.role, connections: state.connections, name: state.name };
  }
}
