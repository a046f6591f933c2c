import type { Request } from 'express';
import { parsePostingId } from '../../../../domain/payroll-posting/events';
import { scopeIncludes } from '../../../../domain/api-key/roles';
import type { Principal } from '../../../../application/api-keys/principal';
import { ApiError } from '../api-error';
import type { ConnectionScopeKind } from './access.decorators';

// Out-of-scope connections answer exactly like missing ones: 404, naming nothing of them.
const noConnection = () => new ApiError(404, 'connection_not_found', 'no such connection');
const noPosting = () => new ApiError(404, 'posting_not_found', 'no such posting');

/** Throws unless the request stays inside the principal's connections. Unlimited principals pass. */
export function enforceConnectionScope(
  principal: Principal,
  kind: ConnectionScopeKind | undefined,
  req: Request,
): void {
  const scope = principal.connections;
  if (scope === '*') return;
  switch (kind) {
    case 'connection-param': {
      const id = req.params?.id;
      if (typeof id !== 'string' || !scopeIncludes(scope, id)) throw noConnection();
      return;
    }
    case 'posting-param': {
      const parsed = typeof req.params?.id === 'string' ? parsePostingId(req.params.id) : undefined;
      if (!parsed || !scopeIncludes(scope, parsed.connectionId)) throw noPosting();
      return;
    }
    case 'connection-query': {
      const given = req.query?.connectionId;
      if (given === undefined) {
        throw new ApiError(
          400,
          'connection_id_required',
          'this key is limited to some connections: name one with ?connectionId=',
          ['connectionId: required for a key limited to some connections'],
        );
      }
      if (typeof given !== 'string' || !scopeIncludes(scope, given)) throw noConnection();
      return;
    }
    case 'filtered-list':
      return;
    default:
      throw new ApiError(
        403,
        'unrestricted_key_required',
        'this route is not about one connection: it needs a key for all connections ("*")',
      );
  }
}
