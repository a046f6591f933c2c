import type { Clock } from '../../src/application/ports/clock.port';

/** The one fake clock of the unit tests: it stands still until told to move. */
export class ManualClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
