import type { ApiKeyEvent } from './events';
import type { Role } from './roles';

export type ApiKey =
  | { status: 'none' }
  | {
      status: 'active' | 'revoked';
      keyId: string;
      name: string;
      role: Role;
      connections: '*' | string[];
      secretSha256: string;
      createdAt: string;
      createdBy: string;
      revokedAt?: string;
      revokedBy?: string;
    };

export const NO_KEY: ApiKey = { status: 'none' };

export function evolve(state: ApiKey, event: ApiKeyEvent): ApiKey {
  switch (event.type) {
    case 'ApiKeyCreated':
      return { status: 'active', ...event.data };
    case 'ApiKeyRevoked':
      return state.status === 'none'
        ? state
        : { ...state, status: 'revoked', revokedAt: event.data.revokedAt, revokedBy: event.data.revokedBy };
    default: {
      const unexpected: never = event;
      throw new Error(`unknown api key event ${JSON.stringify(unexpected)}`);
    }
  }
}

export const fold = (events: readonly ApiKeyEvent[], state: ApiKey = NO_KEY): ApiKey => events.reduce(evolve, state);
