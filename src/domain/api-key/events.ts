import type { Role } from './roles';
import { eventTypes } from '../shared/event-types';

/**
 * An API key's story (stream `api-key-<keyId>`). The secret itself is never recorded: only its SHA-256
 * (hex), which is enough to check a presented key and useless to present.
 */
export type ApiKeyEvent =
  | {
      type: 'ApiKeyCreated';
      data: {
        keyId: string;
        name: string;
        role: Role;
        connections: '*' | string[];
        secretSha256: string;
        createdAt: string;
        createdBy: string;
      };
    }
  | { type: 'ApiKeyRevoked'; data: { keyId: string; revokedAt: string; revokedBy: string } };

export const API_KEY_EVENT_TYPES = eventTypes<ApiKeyEvent>()(['ApiKeyCreated', 'ApiKeyRevoked']);

export const API_KEY_STREAM_PREFIX = 'api-key-';
export const apiKeyStream = (keyId: string): string => `${API_KEY_STREAM_PREFIX}${keyId}`;
