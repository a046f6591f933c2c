import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import { claim, release, renew } from '../../domain/poll-lease/decide';
import { POLL_LEASE_EVENT_TYPES, type PollLeaseEvent, type PollLeaseTrigger } from '../../domain/poll-lease/events';
import { evolve, FREE_LEASE, type PollLease } from '../../domain/poll-lease/state';
import { isRefused } from '../../domain/shared/decision';
import { CommandHandler, aggregateOf, type Aggregate, type Loaded } from '../shared/command-handler';

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
  /** A fresh lease id per claim. */
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
 * `ttlMs`, when the next claim takes it over. No command here is retried: a lost race means someone else acted.
 */
export class PollLeases {
  private readonly leases: CommandHandler<PollLease, PollLeaseEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    readonly options: PollLeaseOptions,
  ) {
    this.leases = new CommandHandler(store, pollLeaseAggregate, { maxAttempts: 1 });
  }

  /** `round`: for a cron tick, its scheduled time (the same on every instance): each round is polled once. */
  async claim(connectionId: string, trigger: PollLeaseTrigger, round?: string): Promise<PollLeaseClaim> {
    const loaded = await this.leases.load(pollLeaseStream(connectionId));
    const leaseId = this.options.newLeaseId();
    const now = this.clock.now();
    const decision = claim(
      loaded.state,
      { leaseId, holder: this.options.holder, trigger, round, ttlMs: this.options.ttlMs },
      now,
    );
    if (isRefused(decision))
      return {
        kind: decision.error === 'round_done' ? 'round_done' : 'held',
        holder: decision.holder,
        expiresAt: decision.expiresAt,
      };
    const after = await this.write(loaded, decision.events, now);
    if (after)
      return {
        kind: 'claimed',
        lease: { connectionId, leaseId, revision: after.revision as bigint, since: now, held: true },
      };
    // Another instance claimed between our read and our append: it won this round.
    const winner = (await this.leases.load(pollLeaseStream(connectionId))).state;
    return winner.status === 'held'
      ? { kind: 'held', holder: winner.holder, expiresAt: winner.expiresAt }
      : { kind: 'held' };
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
    const loaded = await this.leases.load(pollLeaseStream(lease.connectionId));
    const decision = renew(loaded.state, { leaseId: lease.leaseId, ttlMs: this.options.ttlMs }, now);
    if (isRefused(decision)) return (lease.held = false);
    const after = await this.write(loaded, decision.events, now);
    if (!after) return (lease.held = false);
    lease.revision = after.revision as bigint;
    lease.since = now;
    return true;
  }

  /**
   * Keeps the lease while a long step runs (an employee sync, a throttled Gusto read): renews every third
   * of the TTL until stopped. Failures are left to the next step's `keep`.
   */
  heartbeat(lease: HeldPollLease, onError: (error: Error) => void): () => void {
    const timer = setInterval(
      () => void this.keep(lease).catch((error: unknown) => onError(error as Error)),
      Math.max(1, Math.floor(this.options.ttlMs / 3)),
    );
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Frees the lease for the next round. Nothing is written when it is not ours any more. */
  async release(lease: HeldPollLease): Promise<void> {
    while (lease.renewing) await lease.renewing.catch(() => false);
    const loaded = await this.leases.load(pollLeaseStream(lease.connectionId));
    const now = this.clock.now();
    // Nothing to free when it was taken over meanwhile (no events, or a lost race).
    await this.write(loaded, release(loaded.state, { leaseId: lease.leaseId }, now).events, now);
  }

  private write(loaded: Loaded<PollLease>, events: PollLeaseEvent[], now: Date): Promise<Loaded<PollLease> | null> {
    return this.leases.append(loaded, events, { actor: 'poll', at: now.toISOString() });
  }
}

/** Only the lease stream's last event is ever read: it says who holds the lease, until when. */
const pollLeaseAggregate: Aggregate<PollLease, PollLeaseEvent> = aggregateOf(
  FREE_LEASE,
  evolve,
  POLL_LEASE_EVENT_TYPES,
  'last',
);
