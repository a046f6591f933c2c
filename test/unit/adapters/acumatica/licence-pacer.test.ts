import { LicencePacer, LicenceWaitExceeded } from '../../../../src/adapters/outbound/acumatica/licence-pacer';
import type { LicenceGrant, LicenceShares } from '../../../../src/application/ports/licence.port';

/** A share the test sets by hand (the coordinator's own tests cover how shares are agreed). */
class HandSetShares implements LicenceShares {
  private listener: (key: string) => void = () => undefined;
  constructor(
    readonly windowMs: number,
    public grant: LicenceGrant,
  ) {}
  shareFor(): LicenceGrant {
    return this.grant;
  }
  onChange(listener: (key: string) => void): void {
    this.listener = listener;
  }
  change(grant: LicenceGrant): void {
    this.grant = grant;
    this.listener('t');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIMITS = { requestsPerMinute: 3, maxConcurrent: 2 };

describe("licence pacer: a tenant's requests within this instance's share", () => {
  it('at most maxConcurrent in flight, and a request charged until one window after its answer', async () => {
    const W = 300;
    const shares = new HandSetShares(W, { instances: 1, requestsPerWindow: 3, maxConcurrent: 2, notBefore: 0 });
    const pacer = new LicencePacer(shares, 10_000);
    const spans: Array<{ start: number; end: number }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await Promise.all(
      Array.from({ length: 7 }, () =>
        pacer.run('t', LIMITS, false, async () => {
          const span = { start: Date.now(), end: 0 };
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(20);
          inFlight--;
          span.end = Date.now();
          spans.push(span);
        }),
      ),
    );
    expect(maxInFlight).toBe(2);
    const byStart = [...spans].sort((a, b) => a.start - b.start);
    const ends = [...spans].map((s) => s.end).sort((a, b) => a - b);
    // The 4th request may start only when one of the first 3 charges lapsed: W after the earliest answer, and so on.
    for (let i = 3; i < byStart.length; i++) expect(byStart[i].start).toBeGreaterThanOrEqual(ends[i - 3] + W);
  });

  it('writes go before reads that wait; a write that cannot go in time fails retryably and is never sent', async () => {
    const shares = new HandSetShares(60_000, { instances: 1, requestsPerWindow: 1, maxConcurrent: 1, notBefore: 0 });
    const pacer = new LicencePacer(shares, 50);
    const order: string[] = [];
    await pacer.run('t', LIMITS, false, async () => order.push('first'));
    // The window's single request is spent for a minute: the write times out, the read keeps waiting.
    const read = pacer.run('t', LIMITS, false, async () => order.push('read'));
    const write = pacer.run('t', LIMITS, true, async () => order.push('write'));
    const refused = await write.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LicenceWaitExceeded);
    expect((refused as LicenceWaitExceeded).kind).toBe('rate_limited');
    expect((refused as LicenceWaitExceeded).retryable).toBe(true);
    expect(order).toEqual(['first']);
    // A larger share (a peer lapsed) lets the read through at once.
    const write2 = pacer.run('t', LIMITS, true, async () => order.push('write2'));
    shares.change({ instances: 1, requestsPerWindow: 3, maxConcurrent: 1, notBefore: 0 });
    await Promise.all([read, write2]);
    expect(order).toEqual(['first', 'write2', 'read']);
  });

  it('holds everything until notBefore (joining), and until the share is known', async () => {
    const shares = new HandSetShares(60_000, {
      instances: 2,
      requestsPerWindow: 5,
      maxConcurrent: 1,
      notBefore: Infinity,
    });
    const pacer = new LicencePacer(shares, 10_000);
    const started: number[] = [];
    const run = pacer.run('t', LIMITS, false, async () => started.push(Date.now()));
    await sleep(30);
    expect(started).toEqual([]);
    const joinAt = Date.now() + 80;
    shares.change({ instances: 2, requestsPerWindow: 5, maxConcurrent: 1, notBefore: joinAt });
    await run;
    expect(started[0]).toBeGreaterThanOrEqual(joinAt);
  });

  it('without a per-minute figure only the concurrency cap applies', async () => {
    const shares = new HandSetShares(60_000, { instances: 1, maxConcurrent: 2, notBefore: 0 });
    const pacer = new LicencePacer(shares, 10_000);
    let done = 0;
    await Promise.all(Array.from({ length: 20 }, () => pacer.run('t', undefined, false, async () => void done++)));
    expect(done).toBe(20);
  });
});
