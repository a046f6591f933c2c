/** Time comes in from outside so the domain and the sagas can be tested at any moment. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
