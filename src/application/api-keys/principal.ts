import type { ConnectionScope, Role } from '../../domain/api-key/roles';

/**
 * Who is calling: the bootstrap admin token (`admin-token`) or an API key (`key:<keyId>`). `id` is what
 * event metadata records as the actor.
 */
export interface Principal {
  id: string;
  role: Role;
  connections: ConnectionScope;
}

export const ADMIN_TOKEN_PRINCIPAL: Principal = { id: 'admin-token', role: 'admin', connections: '*' };

export const keyPrincipalId = (keyId: string): string => `key:${keyId}`;
