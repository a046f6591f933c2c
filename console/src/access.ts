import type { Principal } from './types';

/** What the signed-in principal may do: the console offers nothing else (the service refuses it anyway). */
export interface Access {
  /** Ping, change the mapping, preview, replay, sync, authorize Gusto. */
  operate: boolean;
  /** Create connections (admin with a key for every connection). */
  createConnections: boolean;
}

export const accessOf = (p: Principal): Access => ({
  operate: p.role === 'operator' || p.role === 'admin',
  createConnections: p.role === 'admin' && p.connections === '*',
});
