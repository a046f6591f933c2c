/** Licence limits (requests per minute, concurrent requests) and injected faults (`failNext`). */
import type { FaultKind, SandboxClock, SandboxKnobs, SandboxStats } from './types';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Licence {
  private readonly window: number[] = [];
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private delayedNow = 0;

  constructor(
    private readonly knobs: SandboxKnobs,
    private readonly clock: SandboxClock,
    private readonly stats: SandboxStats,
  ) {}

  private prune(now: number): void {
    while (this.window.length > 0 && this.window[0] <= now - 60_000) this.window.shift();
  }

  /** Admit a request, waiting if the documented queue applies; false = declined (429). Call `done()` after. */
  async admit(): Promise<boolean> {
    const { requestsPerMinute: rpm, maxConcurrent, mode, maxQueue, delayScale } = this.knobs.licence;
    let now = this.clock.now().getTime();
    this.prune(now);
    if (rpm !== undefined) {
      const used = this.window.length;
      if (mode === 'reject' && used >= rpm) return false;
      if (mode === 'queue' && used >= rpm / 2) {
        if (this.waiting.length + this.delayedNow > maxQueue) return false;
        const left = this.window[0] + 60_000 - now;
        const delay = left / Math.max(rpm - used, 1);
        if (delay > 10 * 60_000) return false;
        this.stats.delayed++;
        this.delayedNow++;
        await sleep(delay * delayScale);
        this.delayedNow--;
        now = this.clock.now().getTime();
      }
    }
    if (maxConcurrent !== undefined && this.inFlight >= maxConcurrent) {
      if (mode === 'reject' || this.waiting.length + this.delayedNow > maxQueue) return false;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.inFlight++;
    this.window.push(now);
    return true;
  }

  done(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.inFlight--;
  }
}

interface Fault {
  method: string;
  pattern: string | RegExp;
  remaining: number;
  kind: FaultKind;
  retryAfterSec?: number;
}

export class Faults {
  private readonly list: Fault[] = [];

  add(method: string, pattern: string | RegExp, count: number, kind: FaultKind, retryAfterSec?: number): void {
    this.list.push({ method: method.toUpperCase(), pattern, remaining: count, kind, retryAfterSec });
  }
  clear(): void {
    this.list.length = 0;
  }

  /** `pattern`: RegExp, a glob with `*`, an exact path, or a path suffix (`/JournalTransaction`). */
  static matches(pattern: string | RegExp, path: string): boolean {
    if (pattern instanceof RegExp) return pattern.test(path);
    if (pattern.includes('*')) {
      const re = new RegExp(
        `^${pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      return re.test(path);
    }
    return path === pattern || path.endsWith(pattern);
  }

  /** The fault for this request, consuming one of its count. */
  take(method: string, path: string): Fault | undefined {
    const f = this.list.find(
      (x) => x.remaining > 0 && (x.method === '*' || x.method === method) && Faults.matches(x.pattern, path),
    );
    if (f) f.remaining--;
    return f;
  }
}
