import type { ApiKeyEvent, ApiKeyGrant } from './events';

export type ApiKey =
  { status: 'none' } | (ApiKeyGrant & { status: 'active' | 'revoked'; revokedAt?: string; revokedBy?: string });

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
