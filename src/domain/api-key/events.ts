import type { Role } from './roles';
import { eventTypes } from '../shared/event-types';

/**
 * An API key's story (stream `api-key-<keyId>`). The secret itself is never recorded: only its SHA-256
 * (hex), which is enough to check a presented key and useless to present.
 */
/** What a key is given at creation; the key's state carries it for as long as the key exists. */
export interface ApiKeyGrant {
  keyId: string;
  name: string;
  role: Role;
  /** The connections it may act on; '*' for all. */
  connections: '*' | string[];
  secretSha256: string;
  createdAt: string;
  createdBy: string;
}

export type ApiKeyEvent =
  | { type: 'ApiKeyCreated'; data: ApiKeyGrant }
  | { type: 'ApiKeyRevoked'; data: { keyId: string; revokedAt: string; revokedBy: string } };

export const API_KEY_EVENT_TYPES = eventTypes<ApiKeyEvent>()(['ApiKeyCreated', 'ApiKeyRevoked']);

export const API_KEY_STREAM_PREFIX = 'api-key-';
export const apiKeyStream = (keyId: string): string => `${API_KEY_STREAM_PREFIX}${keyId}`;
