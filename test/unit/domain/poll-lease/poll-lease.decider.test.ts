import { claim, isLeaseRefusal, release, renew } from '../../../../src/domain/poll-lease/decide';
import type { PollLeaseEvent } from '../../../../src/domain/poll-lease/events';
import { fold, isHeldAt } from '../../../../src/domain/poll-lease/state';

const at = new Date('2026-12-04T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const TTL = 60_000;
const claimedByA: PollLeaseEvent = {
  type: 'PollLeaseClaimed',
  data: { leaseId: 'L1', holder: 'host-a:1', trigger: 'cron', claimedAt: at.toISOString(), expiresAt: later(TTL).toISOString() },
};
const releasedByA: PollLeaseEvent = { type: 'PollLeaseReleased', data: { leaseId: 'L1', holder: 'host-a:1', releasedAt: later(5_000).toISOString() } };
const given = (...events: PollLeaseEvent[]) => fold(events);

describe('Poll lease decider', () => {
  it('claims a lease nobody ever held', () => {
    expect(claim(given(), { leaseId: 'L1', holder: 'host-a:1', trigger: 'cron', ttlMs: TTL }, at)).toEqual([claimedByA]);
  });

  it('refuses a live lease to everyone, its own holder included, naming the holder and until when', () => {
    for (const holder of ['host-b:2', 'host-a:1']) {
      const decision = claim(given(claimedByA), { leaseId: 'L2', holder, trigger: 'manual', ttlMs: TTL }, later(TTL - 1));
      expect(isLeaseRefusal(decision) && decision).toMatchObject({ error: 'lease_held', holder: 'host-a:1', expiresAt: later(TTL).toISOString() });
    }
  });

  it('claims a released lease at once', () => {
    expect(claim(given(claimedByA, releasedByA), { leaseId: 'L2', holder: 'host-b:2', trigger: 'manual', ttlMs: TTL }, later(6_000))).toEqual([
      { type: 'PollLeaseClaimed', data: { leaseId: 'L2', holder: 'host-b:2', trigger: 'manual', claimedAt: later(6_000).toISOString(), expiresAt: later(6_000 + TTL).toISOString() } },
    ]);
  });

  it('takes over a lapsed lease (a dead holder) and says whose it was', () => {
    const decision = claim(given(claimedByA), { leaseId: 'L2', holder: 'host-b:2', trigger: 'cron', ttlMs: TTL }, later(TTL));
    expect(decision).toEqual([
      { type: 'PollLeaseClaimed', data: { leaseId: 'L2', holder: 'host-b:2', trigger: 'cron', claimedAt: later(TTL).toISOString(), expiresAt: later(2 * TTL).toISOString(), previousHolder: 'host-a:1' } },
    ]);
    expect(isHeldAt(fold(decision as PollLeaseEvent[], given(claimedByA)), later(TTL))).toBe(true);
  });

  it('renews only its own lease, which then lasts from the renewal', () => {
    const renewed = renew(given(claimedByA), { leaseId: 'L1', ttlMs: TTL }, later(40_000));
    expect(renewed).toEqual([{ type: 'PollLeaseRenewed', data: { leaseId: 'L1', holder: 'host-a:1', renewedAt: later(40_000).toISOString(), expiresAt: later(40_000 + TTL).toISOString() } }]);
    const state = fold(renewed as PollLeaseEvent[], given(claimedByA));
    expect(isHeldAt(state, later(TTL + 1))).toBe(true);
    expect(renew(given(claimedByA), { leaseId: 'L9', ttlMs: TTL }, later(1))).toMatchObject({ error: 'lease_lost' });
    expect(renew(given(claimedByA, releasedByA), { leaseId: 'L1', ttlMs: TTL }, later(1))).toMatchObject({ error: 'lease_lost' });
  });

  it('releases its own lease; releasing a lease that is not ours (taken over, already released) records nothing', () => {
    expect(release(given(claimedByA), { leaseId: 'L1' }, later(5_000))).toEqual([releasedByA]);
    expect(release(given(claimedByA, releasedByA), { leaseId: 'L1' }, later(6_000))).toEqual([]);
    const takenOver = claim(given(claimedByA), { leaseId: 'L2', holder: 'host-b:2', trigger: 'cron', ttlMs: TTL }, later(TTL)) as PollLeaseEvent[];
    expect(release(given(claimedByA, ...takenOver), { leaseId: 'L1' }, later(TTL + 1))).toEqual([]);
  });

  it('a cron round is polled once: a claim for the round the last released lease served is refused; the next round is not', () => {
    const round = '2026-12-04T10:00:00.000Z';
    const claimed = claim(given(), { leaseId: 'R1', holder: 'host-a:1', trigger: 'cron', round, ttlMs: TTL }, at) as PollLeaseEvent[];
    expect(claimed[0]).toMatchObject({ type: 'PollLeaseClaimed', data: { round } });
    const released = release(fold(claimed), { leaseId: 'R1' }, later(50));
    expect(released).toEqual([{ type: 'PollLeaseReleased', data: { leaseId: 'R1', holder: 'host-a:1', round, releasedAt: later(50).toISOString() } }]);
    const done = fold([...claimed, ...released]);
    expect(claim(done, { leaseId: 'R2', holder: 'host-b:2', trigger: 'cron', round, ttlMs: TTL }, later(60))).toMatchObject({ error: 'round_done', holder: 'host-a:1' });
    expect(claim(done, { leaseId: 'R2', holder: 'host-b:2', trigger: 'cron', round: '2026-12-04T10:00:01.000Z', ttlMs: TTL }, later(1000))).toHaveLength(1);
    expect(claim(done, { leaseId: 'R3', holder: 'host-b:2', trigger: 'manual', ttlMs: TTL }, later(60))).toHaveLength(1); // a manual sync has no round
    // A renewal keeps the round, so the release still names it.
    const renewed = renew(fold(claimed), { leaseId: 'R1', ttlMs: TTL }, later(40_000)) as PollLeaseEvent[];
    expect(release(fold([...claimed, ...renewed]), { leaseId: 'R1' }, later(41_000))[0]).toMatchObject({ data: { round } });
  });

  it('the state after an event depends on that event alone (what lets the store read only the last one)', () => {
    const histories: PollLeaseEvent[][] = [[], [claimedByA], [claimedByA, releasedByA]];
    for (const history of histories) {
      expect(fold([claimedByA], given(...history))).toEqual(given(claimedByA));
      expect(fold([releasedByA], given(...history))).toEqual(given(releasedByA));
    }
  });
});
