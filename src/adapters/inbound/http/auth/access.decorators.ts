import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../../../../domain/api-key/roles';
import { ADMIN_TOKEN_PRINCIPAL, type Principal } from '../../../../application/api-keys/principal';

export const REQUIRED_ROLE = 'mlc:requiredRole';
export const CONNECTION_SCOPE = 'mlc:connectionScope';

/** The least role a route needs. A route without it needs `admin` (the safe default). */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * How a route names the connection it touches, so a key limited to some connections is kept to them:
 * - `connection-param`: `:id` is a connection id
 * - `posting-param`: `:id` is a posting id `<connectionId>:<payrollUuid>`
 * - `connection-query`: the `connectionId` query (a limited key must send it)
 * - `filtered-list`: the handler itself answers only the principal's connections
 * A route without it is refused to limited keys (403): it is not about one connection.
 */
export type ConnectionScopeKind = 'connection-param' | 'posting-param' | 'connection-query' | 'filtered-list';
export const ConnectionScoped = (kind: ConnectionScopeKind) => SetMetadata(CONNECTION_SCOPE, kind);

type WithPrincipal = Request & { principal?: Principal };

export const principalOf = (req: Request): Principal => (req as WithPrincipal).principal ?? ADMIN_TOKEN_PRINCIPAL;
export const attachPrincipal = (req: Request, principal: Principal): void => {
  (req as WithPrincipal).principal = principal;
};

/** The caller the guard authenticated (`@Actor() who: Principal`). */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal =>
  principalOf(ctx.switchToHttp().getRequest<Request>()),
);
