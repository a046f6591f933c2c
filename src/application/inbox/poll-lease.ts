import type { Clock } from '../ports/clock.port';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import { claim, isLeaseRefusal, release, renew, type PollLeaseDecision } from '../../domain/poll-lease/decide';
import type { PollLeaseEvent, PollLeaseTrigger } from '../../domain/poll-lease/events';
import { evolve, FREE_LEASE, type PollLease } from '../../domain/poll-lease/state';

/** One small stream per connection; only its last event is ever read. */
export const pollLeaseStream = (connectionId: string): string => `poll-lease-${connectionId}`;

export interface PollLeaseOptions {
  /** Who this instance is, in the lease and the logs: `host:pid:random`. */
  holder: string;
  /**
   * How long a claim (or renewal) lasts: a dead holder's lease lapses after this. A running poll renews it
   * once half is used (between its steps, and on a heartbeat of a third of it while a long step runs).
   */
  ttlMs: number;
  /** A fresh lease id per claim (also the claim event's id). */
  newLeaseId: () => string;
}

export const DEFAULT_POLL_LEASE_TTL_MS = 60_000;

export interface HeldPollLease {
  connectionId: string;
  leaseId: string;
  /** The revision of our last event in the lease stream: the expected revision of our next one. */
  revision: bigint;
  /** When we last claimed or renewed. */
  since: Date;
  /** False once a renewal found the lease taken over. */
  held: boolean;
  /** A renewal in flight: the heartbeat and a step never renew at once (they would conflict with each other). */
  renewing?: Promise<boolean>;
}

export type PollLeaseClaim =
  | { kind: 'claimed'; lease: HeldPollLease }
  /** Another instance (or another trigger in this one) holds a live lease. */
  | { kind: 'held'; holder?: string; expiresAt?: string }
  /** This cron round was already polled by another instance. */
  | { kind: 'round_done'; holder?: string; expiresAt?: string };

/**
 * The poll lease over the event store: exactly one of N instances polls a connection at a time. A claim
 * reads the stream's last event, decides (../../domain/poll-lease), and appends at exactly that revision,
 * so of two instances claiming at once one append wins and the other gets WrongExpectedRevisionError,
 * which means "held". The holder releases when done; a holder that dies leaves a lease that lapses after
 * `ttlMs`, when the next claim takes it over.
 */
export class PollLeases {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    readonly options: PollLeaseOptions,
  ) {}

  /** `round`: for a cron tick, its scheduled time (the same on every instance): each round is polled once. */
  async claim(connectionId: string, trigger: PollLeaseTrigger, round?: string): Promise<PollLeaseClaim> {
    const { state, expected } = await this.current(connectionId);
    const leaseId = this.options.newLeaseId();
    const now = this.clock.now();
    const decision = claim(state, { leaseId, holder: this.options.holder, trigger, round, ttlMs: this.options.ttlMs }, now);
    if (isLeaseRefusal(decision)) return { kind: decision.error === 'round_done' ? 'round_done' : 'held', holder: decision.holder, expiresAt: decision.expiresAt };
    try {
      const revision = await this.write(connectionId, decision, expected);
      return { kind: 'claimed', lease: { connectionId, leaseId, revision, since: now, held: true } };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Another instance claimed between our read and our append: it won this round.
      const winner = (await this.current(connectionId)).state;
      return winner.status === 'held' ? { kind: 'held', holder: winner.holder, expiresAt: winner.expiresAt } : { kind: 'held' };
    }
  }

  /**
   * Renews when half the lease is used (cheap to call often: no store access before that). False when the
   * lease is no longer ours: it lapsed and another instance took it over, so this poll must stop.
   */
  async keep(lease: HeldPollLease): Promise<boolean> {
    while (lease.renewing) await lease.renewing;
    if (!lease.held) return false;
    if (this.clock.now().getTime() - lease.since.getTime() < this.options.ttlMs / 2) return true;
    lease.renewing = this.renew(lease).finally(() => (lease.renewing = undefined));
    return lease.renewing;
  }

  private async renew(lease: HeldPollLease): Promise<boolean> {
    const now = this.clock.now();
    if (now.getTime() - lease.since.getTime() < this.options.ttlMs / 2) return true;
    const { state, expected } = await this.current(lease.connectionId);
    const decision = renew(state, { leaseId: lease.leaseId, ttlMs: this.options.ttlMs }, now);
    if (isLeaseRefusal(decision)) return (lease.held = false);
    try {
      lease.revision = await this.write(lease.connectionId, decision, expected);
      lease.since = now;
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return (lease.held = false);
      throw error;
    }
  }

  /**
   * Keeps the lease while a long step runs (an employee sync, a throttled Gusto read): renews every third
   * of the TTL until stopped. Failures are left to the next step's `keep`.
   */
  heartbeat(lease: HeldPollLease, onError: (error: Error) => void): () => void {
    const timer = setInterval(() => void this.keep(lease).catch((error: unknown) => onError(error as Error)), Math.max(1, Math.floor(this.options.ttlMs / 3)));
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Frees the lease for the next round. Nothing is written when it is not ours any more. */
  async release(lease: HeldPollLease): Promise<void> {
    while (lease.renewing) await lease.renewing.catch(() => false);
    const { state, expected } = await this.current(lease.connectionId);
    const events = release(state, { leaseId: lease.leaseId }, this.clock.now());
    if (events.length === 0) return;
    await this.write(lease.connectionId, events, expected).catch((error: unknown) => {
      if (!(error instanceof WrongExpectedRevisionError)) throw error; // taken over meanwhile: nothing to free
    });
  }

  private async current(connectionId: string): Promise<{ state: PollLease; expected: bigint | 'no_stream' }> {
    const last: RecordedEvent | undefined = await this.store.readLastEvent(pollLeaseStream(connectionId));
    if (!last) return { state: FREE_LEASE, expected: 'no_stream' };
    return { state: evolve(FREE_LEASE, { type: last.type, data: last.data } as PollLeaseEvent), expected: last.revision };
  }

  private async write(connectionId: string, decision: Exclude<PollLeaseDecision, { error: unknown }>, expected: bigint | 'no_stream'): Promise<bigint> {
    const events = decision.map((event) => ({
      // The claim's id is the lease id: a retried append of the same claim is stored once.
      id: event.type === 'PollLeaseClaimed' ? event.data.leaseId : `${event.data.leaseId}:${event.type === 'PollLeaseRenewed' ? `renewed:${event.data.renewedAt}` : 'released'}`,
      type: event.type,
      data: event.data,
      metadata: { actor: 'poll', at: 'claimedAt' in event.data ? event.data.claimedAt : 'renewedAt' in event.data ? event.data.renewedAt : event.data.releasedAt },
    }));
    return (await this.store.append(pollLeaseStream(connectionId), events, expected)).nextExpectedRevision;
  }
}
