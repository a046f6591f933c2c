import { backoffMs, retryAfterMs } from '../../../../src/application/shared/backoff';

describe('the one back-off rule', () => {
  const settings = { baseMs: 100, capMs: 1_000 };

  it('doubles per attempt with equal jitter: never below half the step, never above it', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, settings, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, settings, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(3, settings, () => 0.5)).toBe(300);
  });

  it('caps the step (and so the delay) at capMs, however many attempts failed', () => {
    expect(backoffMs(5, settings, () => 1)).toBe(1_000);
    expect(backoffMs(60, settings, () => 0)).toBe(500);
  });

  it('treats Retry-After as a floor over the jittered step, still capped', () => {
    expect(backoffMs(1, settings, () => 0, 700)).toBe(700);
    expect(backoffMs(4, settings, () => 1, 10)).toBe(800);
    expect(backoffMs(1, settings, () => 0, 5_000)).toBe(1_000);
    expect(backoffMs(1, settings, () => 0, 0)).toBe(50);
  });

  it('reads Retry-After as delta-seconds or an HTTP date, else undefined', () => {
    const now = Date.parse('2026-01-23T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Fri, 23 Jan 2026 10:00:07 GMT', now)).toBe(7_000);
    expect(retryAfterMs('Fri, 23 Jan 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('-4', now)).toBe(0);
    expect([
      retryAfterMs(undefined, now),
      retryAfterMs('', now),
      retryAfterMs('soon', now),
      retryAfterMs(['3'], now),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
