import type { NextStep } from '../../domain/payroll-posting/next-step';
import type { Clock } from '../ports/clock.port';

/**
 * The prompt local wake-up of a posting that waits (a retry's AttemptFailed.nextAttemptAt, a claim's next
 * lookup). The wait itself lives in the log; the scheduler's sweep is what survives restarts. One timer per
 * stream: a new wait replaces the old one.
 */
export class PostingTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly wake: (stream: string) => void,
  ) {}

  /** Sets the stream's timer when the run stopped to wait; anything else leaves it alone. */
  afterRun(stream: string, next: NextStep): void {
    if (this.stopped || next.kind !== 'wait') return;
    const existing = this.timers.get(stream);
    if (existing) clearTimeout(existing);
    const delay = Math.max(0, Date.parse(next.until) - this.clock.now().getTime());
    const timer = setTimeout(
      () => {
        this.timers.delete(stream);
        this.wake(stream);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    timer.unref();
    this.timers.set(stream, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
