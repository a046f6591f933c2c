import type { Clock, SandboxClock } from './types';

/** A clock that follows `base` plus whatever has been advanced. */
export function controllableClock(base: Clock = { now: () => new Date() }): SandboxClock {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
