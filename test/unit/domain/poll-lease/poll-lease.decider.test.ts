import { claim, release, renew } from '../../../../src/domain/poll-lease/decide';
import type { PollLeaseEvent } from '../../../../src/domain/poll-lease/events';
import { fold, isHeldAt } from '../../../../src/domain/poll-lease/state';
import { decider } from '../../../support/decider-spec';

const at = new Date('2026-12-04T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const TTL = 60_000;
const claimedByA: PollLeaseEvent = {
  type: 'PollLeaseClaimed',
  data: {
    leaseId: 'L1',
    holder: 'host-a:1',
    trigger: 'cron',
    claimedAt: at.toISOString(),
    expiresAt: later(TTL).toISOString(),
  },
};
const releasedByA: PollLeaseEvent = {
  type: 'PollLeaseReleased',
  data: { leaseId: 'L1', holder: 'host-a:1', releasedAt: later(5_000).toISOString() },
};
const { given } = decider(fold);

describe('Poll lease decider', () => {
  it('claims a lease nobody ever held', () => {
    given()
      .when((s) => claim(s, { leaseId: 'L1', holder: 'host-a:1', trigger: 'cron', ttlMs: TTL }, at))
      .then(claimedByA);
  });

  it('refuses a live lease to everyone, its own holder included, naming the holder and until when', () => {
    for (const holder of ['host-b:2', 'host-a:1']) {
      const refusal = given(claimedByA)
        .when((s) => claim(s, { leaseId: 'L2', holder, trigger: 'manual', ttlMs: TTL }, later(TTL - 1)))
        .thenError('lease_held');
      expect(refusal).toMatchObject({ holder: 'host-a:1', expiresAt: later(TTL).toISOString() });
    }
  });

  it('claims a released lease at once', () => {
    given(claimedByA, releasedByA)
      .when((s) => claim(s, { leaseId: 'L2', holder: 'host-b:2', trigger: 'manual', ttlMs: TTL }, later(6_000)))
      .then({
        type: 'PollLeaseClaimed',
        data: {
          leaseId: 'L2',
          holder: 'host-b:2',
          trigger: 'manual',
          claimedAt: later(6_000).toISOString(),
          expiresAt: later(6_000 + TTL).toISOString(),
        },
      });
  });

  it('takes over a lapsed lease (a dead holder) and says whose it was', () => {
    const { state } = given(claimedByA)
      .when((s) => claim(s, { leaseId: 'L2', holder: 'host-b:2', trigger: 'cron', ttlMs: TTL }, later(TTL)))
      .then({
        type: 'PollLeaseClaimed',
        data: {
          leaseId: 'L2',
          holder: 'host-b:2',
          trigger: 'cron',
          claimedAt: later(TTL).toISOString(),
          expiresAt: later(2 * TTL).toISOString(),
          previousHolder: 'host-a:1',
        },
      });
    expect(isHeldAt(state, later(TTL))).toBe(true);
  });

  it('renews only its own lease, which then lasts from the renewal', () => {
    const { state } = given(claimedByA)
      .when((s) => renew(s, { leaseId: 'L1', ttlMs: TTL }, later(40_000)))
      .then({
        type: 'PollLeaseRenewed',
        data: {
          leaseId: 'L1',
          holder: 'host-a:1',
          renewedAt: later(40_000).toISOString(),
          expiresAt: later(40_000 + TTL).toISOString(),
        },
      });
    expect(isHeldAt(state, later(TTL + 1))).toBe(true);
    given(claimedByA)
      .when((s) => renew(s, { leaseId: 'L9', ttlMs: TTL }, later(1)))
      .thenError('lease_lost');
    given(claimedByA, releasedByA)
      .when((s) => renew(s, { leaseId: 'L1', ttlMs: TTL }, later(1)))
      .thenError('lease_lost');
  });

  it('releases its own lease; releasing a lease that is not ours (taken over, already released) records nothing', () => {
    given(claimedByA)
      .when((s) => release(s, { leaseId: 'L1' }, later(5_000)))
      .then(releasedByA);
    given(claimedByA, releasedByA)
      .when((s) => release(s, { leaseId: 'L1' }, later(6_000)))
      .then();
    const takenOver = given(claimedByA)
      .when((s) => claim(s, { leaseId: 'L2', holder: 'host-b:2', trigger: 'cron', ttlMs: TTL }, later(TTL)))
      .thenTypes('PollLeaseClaimed');
    given(claimedByA, ...takenOver.events)
      .when((s) => release(s, { leaseId: 'L1' }, later(TTL + 1)))
      .then();
  });

  it('a cron round is polled once: a claim for the round the last released lease served is refused; the next round is not', () => {
    const round = '2026-12-04T10:00:00.000Z';
    const claimed = given()
      .when((s) => claim(s, { leaseId: 'R1', holder: 'host-a:1', trigger: 'cron', round, ttlMs: TTL }, at))
      .thenTypes('PollLeaseClaimed').events;
    expect(claimed[0]).toMatchObject({ data: { round } });
    const released = given(...claimed)
      .when((s) => release(s, { leaseId: 'R1' }, later(50)))
      .then({
        type: 'PollLeaseReleased',
        data: { leaseId: 'R1', holder: 'host-a:1', round, releasedAt: later(50).toISOString() },
      }).events;
    const done = given(...claimed, ...released);
    done
      .when((s) => claim(s, { leaseId: 'R2', holder: 'host-b:2', trigger: 'cron', round, ttlMs: TTL }, later(60)))
      .thenError('round_done');
    expect(
      done.when((s) => claim(s, { leaseId: 'R2', holder: 'host-b:2', trigger: 'cron', round, ttlMs: TTL }, later(60)))
        .decision,
    ).toMatchObject({ holder: 'host-a:1' });
    done
      .when((s) =>
        claim(
          s,
          { leaseId: 'R2', holder: 'host-b:2', trigger: 'cron', round: '2026-12-04T10:00:01.000Z', ttlMs: TTL },
          later(1000),
        ),
      )
      .thenTypes('PollLeaseClaimed');
    done
      .when((s) => claim(s, { leaseId: 'R3', holder: 'host-b:2', trigger: 'manual', ttlMs: TTL }, later(60)))
      .thenTypes('PollLeaseClaimed'); // a manual sync has no round
    // A renewal keeps the round, so the release still names it.
    const renewed = given(...claimed)
      .when((s) => renew(s, { leaseId: 'R1', ttlMs: TTL }, later(40_000)))
      .thenTypes('PollLeaseRenewed').events;
    const { events } = given(...claimed, ...renewed)
      .when((s) => release(s, { leaseId: 'R1' }, later(41_000)))
      .thenTypes('PollLeaseReleased');
    expect(events[0]).toMatchObject({ data: { round } });
  });

  it('the state after an event depends on that event alone (what lets the store read only the last one)', () => {
    const histories: PollLeaseEvent[][] = [[], [claimedByA], [claimedByA, releasedByA]];
    for (const history of histories) {
      expect(fold([claimedByA], given(...history).state)).toEqual(given(claimedByA).state);
      expect(fold([releasedByA], given(...history).state)).toEqual(given(releasedByA).state);
    }
  });
});
