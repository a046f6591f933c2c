import {
  joinWaitMs,
  LICENCE_HEARTBEAT,
  licenceTiming,
  livePeers,
  shareOf,
  type LicenceEvent,
} from '../../../../src/domain/licence/licence-share';

const timing = licenceTiming(60_000); // interval 5 s, lapse 70 s, join wait 65 s
const T0 = Date.parse('2026-12-01T10:00:00Z');
const beat = (instanceId: string, atMs: number): LicenceEvent => ({
  type: LICENCE_HEARTBEAT,
  data: { instanceId, at: new Date(atMs).toISOString(), requestsPerMinute: 60 },
});

describe("licence share: given heartbeats → live peers and this instance's share", () => {
  it('timing for a one-minute licence: heartbeat every 5 s, lapse = window + 2 intervals, join wait = window + 1 interval', () => {
    expect(timing).toEqual({ windowMs: 60_000, intervalMs: 5_000, lapseMs: 70_000, joinWaitMs: 65_000 });
  });

  it('counts each other instance once, by its latest heartbeat, and drops those older than the lapse', () => {
    const events = [
      beat('a', T0),
      beat('b', T0 + 1_000),
      beat('a', T0 + 5_000),
      beat('dead', T0 - 71_000),
      beat('me', T0 + 6_000),
    ];
    expect(livePeers(events, 'me', T0 + 6_000, timing)).toEqual(['a', 'b']);
    // 70 s after b's only heartbeat it has lapsed; a's latest (T0 + 5 s) is still live
    expect(livePeers(events, 'me', T0 + 71_000, timing)).toEqual(['a']);
    expect(livePeers(events, 'me', T0 + 75_000, timing)).toEqual([]);
  });

  it('an equal share rounded down, at least 1 each; no per-minute pacing without requestsPerMinute', () => {
    expect(shareOf({ requestsPerMinute: 60, maxConcurrent: 4 }, 2)).toEqual({
      instances: 2,
      requestsPerWindow: 30,
      maxConcurrent: 2,
    });
    expect(shareOf({ requestsPerMinute: 100, maxConcurrent: 2 }, 3)).toEqual({
      instances: 3,
      requestsPerWindow: 33,
      maxConcurrent: 1,
    });
    expect(shareOf({ requestsPerMinute: 2 }, 5)).toEqual({ instances: 5, requestsPerWindow: 1, maxConcurrent: 1 });
    expect(shareOf(undefined, 1)).toEqual({ instances: 1, maxConcurrent: 2 });
    expect(shareOf({ maxConcurrent: 6 }, 2)).toEqual({ instances: 2, maxConcurrent: 3 });
  });

  it('a newcomer waits window + interval when peers are live; not when alone or when its previous heartbeat is still counted', () => {
    const now = T0 + 100_000;
    expect(joinWaitMs([], undefined, now, timing)).toBe(0);
    expect(joinWaitMs(['a'], undefined, now, timing)).toBe(65_000);
    expect(joinWaitMs(['a'], now - 10_000, now, timing)).toBe(0); // counted until now + 60 s > now + 5 s
    expect(joinWaitMs(['a'], now - 66_000, now, timing)).toBe(65_000); // would lapse before the peers see the new one
  });
});
