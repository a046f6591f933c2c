import { accept, type Accepted, type Refused } from '../shared/decision';
import type { ApiKeyEvent } from './events';
import type { Role } from './roles';
import type { ApiKey } from './state';

export type ApiKeyError =
  | 'key_exists' // the key id is taken (ids are random: only a repeated create gets here)
  | 'key_not_found'
  | 'key_revoked'; // revoking a key twice

export type ApiKeyRefusal = Refused<ApiKeyError> & { message: string };
export type ApiKeyDecision = Accepted<ApiKeyEvent> | ApiKeyRefusal;

export interface CreateApiKey {
  keyId: string;
  name: string;
  role: Role;
  connections: '*' | string[];
  secretSha256: string;
  createdBy: string;
}

export function createApiKey(state: ApiKey, cmd: CreateApiKey, now: Date): ApiKeyDecision {
  if (state.status !== 'none') return { error: 'key_exists', message: `key ${cmd.keyId} already exists` };
  const connections = cmd.connections === '*' ? '*' : [...new Set(cmd.connections)];
  return accept({
    type: 'ApiKeyCreated',
    data: {
      keyId: cmd.keyId,
      name: cmd.name,
      role: cmd.role,
      connections,
      secretSha256: cmd.secretSha256,
      createdAt: now.toISOString(),
      createdBy: cmd.createdBy,
    },
  });
}

export function revokeApiKey(state: ApiKey, cmd: { revokedBy: string }, now: Date): ApiKeyDecision {
  if (state.status === 'none') return { error: 'key_not_found', message: 'no such key' };
  if (state.status === 'revoked')
    return { error: 'key_revoked', message: `key ${state.keyId} was already revoked at ${state.revokedAt}` };
  return accept({
    type: 'ApiKeyRevoked',
    data: { keyId: state.keyId, revokedAt: now.toISOString(), revokedBy: cmd.revokedBy },
  });
}
