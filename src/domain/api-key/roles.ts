/** What a key may do. Each role includes the ones before it: auditor ⊂ operator ⊂ admin. */
export type Role = 'auditor' | 'operator' | 'admin';

export const ROLES: readonly Role[] = ['auditor', 'operator', 'admin'];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when a principal holding `held` may use a route that needs `needed`. */
export const roleAllows = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** The connections a key may see: every one ("*"), or the listed ids only. */
export type ConnectionScope = '*' | readonly string[];

export const scopeIncludes = (scope: ConnectionScope, connectionId: string): boolean =>
  scope === '*' || scope.includes(connectionId);
