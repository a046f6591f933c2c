import type { ConnectionScope, Role } from '../../domain/api-key/roles';

/**
 * Who is calling: the bootstrap admin token (`admin-token`) or an API key (`key:<keyId>`). `id` is what
 * event metadata records as the actor, `name` (the key's name) beside it as `actorName`.
 */
export interface Principal {
  id: string;
  role: Role;
  connections: ConnectionScope;
  name?: string;
}

export const ADMIN_TOKEN_PRINCIPAL: Principal = {
  id: 'admin-token',
  role: 'admin',
  connections: '*',
  name: 'MLC_ADMIN_TOKEN',
};

export const keyPrincipalId = (keyId: string): string => `key:${keyId}`;

/** Who acted, as an event records it: a principal, or a system actor's name ('system', 'poll', 'webhook', …). */
export type Acting = Pick<Principal, 'id' | 'name'> | string;

/** `{ actor, actorName?, at }`: the metadata of an event caused by `who` at `at`. */
export function actorMetadata(who: Acting, at: Date | string): { actor: string; actorName?: string; at: string } {
  const when = typeof at === 'string' ? at : at.toISOString();
  if (typeof who === 'string') return { actor: who, at: when };
  return { actor: who.id, ...(who.name ? { actorName: who.name } : {}), at: when };
}
