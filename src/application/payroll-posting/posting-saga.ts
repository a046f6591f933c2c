import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { sendWindowFor, type ClaimTerms } from '../../domain/payroll-posting/create-claim';
import { isError, recordJournalInAcumatica, type Decision } from '../../domain/payroll-posting/decide';
import { recordReversalInAcumatica } from '../../domain/payroll-posting/decide-reversal';
import type { PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { nextStep, type NextStep } from '../../domain/payroll-posting/next-step';
import { fold, type PayrollPosting } from '../../domain/payroll-posting/state';
import { ACUMATICA, type AcumaticaApi } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, WrongExpectedRevisionError, type EventMetadata, type EventStore, type NewEvent } from '../ports/event-store.port';
import { GUSTO, type GustoApi } from '../ports/gusto.port';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { loadPosting, toNewEvents, type LoadedPosting } from './posting-stream';
import { performStep } from './posting-steps';
import { RETRY_SETTINGS, type RetrySettings } from './retry-policy';

/** Told about every append the pipeline makes (metrics, logs). */
export const POSTING_OBSERVER = Symbol('POSTING_OBSERVER');
export interface PostingObserver {
  appended(stream: string, events: PayrollPostingEvent[], before: PayrollPosting, after: LoadedPosting, metadata: EventMetadata): void;
  stepFailed?(stream: string, error: unknown): void;
}

export interface Cause {
  correlationId?: string;
  causationId?: string;
  actor: string;
  /** The API key's name when `actor` is `key:<id>`. */
  actorName?: string;
}

/** ACUMATICA_QUEUE_LIMIT_S's default: real Acumatica queues requests over the licence limit for up to 10 min. */
const DEFAULT_QUEUE_LIMIT_MS = 600_000;

/** A run never takes more than this many steps: a full posting with release and reversal takes 7. */
const MAX_STEPS_PER_RUN = 25;

/**
 * A stream as this run sees it: what the store holds plus, when `carried` is set, a decision made but not
 * yet appended. The build step's outcome (PayrollFetched + JournalBuilt) rides with the post step's first
 * append — the create claim, or ExistingJournalFound, or AttemptFailed — in ONE atomic append at the
 * revision loaded before the build: one commit (one fsync) less per posting, with the same events, ids,
 * per-event metadata and order as two appends. Nothing outside the log happens in between but a lookup, so a
 * crash there loses only a Gusto read that the next run repeats; a claim is still in the log before any create.
 */
interface RunView extends LoadedPosting {
  carried?: { base: LoadedPosting; events: NewEvent[]; decided: PayrollPostingEvent[] };
}

/**
 * The posting process manager. Each step: load the stream → decide → append with the revision loaded.
 * Exactly once comes from three things together: per-stream serialization in this process, optimistic
 * concurrency in the store across processes (the loser re-reads and continues or stops), and the
 * lookup-by-tag before every create in Acumatica (a lost response after commit is found, not repeated).
 */
@Injectable()
export class PostingSaga implements OnApplicationShutdown {
  private readonly serializer = new KeyedSerializer();
  /** Streams with a run queued here, and whether that run resumes a posting it was not driving. */
  private readonly queued = new Map<string, { recovering: boolean }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(GUSTO) private readonly gusto: GustoApi,
    @Inject(ACUMATICA) private readonly acumatica: AcumaticaApi,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RETRY_SETTINGS) private readonly retry: RetrySettings,
    @Optional() @Inject(POSTING_OBSERVER) private readonly observer?: PostingObserver,
  ) {}

  /**
   * Applies a command's decision under the stream's lock (so it never interleaves with a step), then
   * starts the pipeline in the background. Returns the state after the command.
   */
  async execute(stream: string, decide: (state: PayrollPosting) => Decision, cause: Cause): Promise<{ state: PayrollPosting; appended: PayrollPostingEvent[] } | { error: Exclude<Decision, unknown[]> }> {
    const outcome = await this.serializer.run(stream, async () => {
      for (;;) {
        const loaded = await loadPosting(this.store, stream);
        const decision = decide(loaded.state);
        if (isError(decision)) return { error: decision };
        if (decision.length === 0) return { state: loaded.state, appended: [] };
        const after = await this.append(loaded, decision, cause);
        if (after) return { state: after.state, appended: decision };
        // Another instance appended in between: decide again on what it wrote.
      }
    });
    // Only the instance whose append went through drives the pipeline: a repeated request (another
    // instance's poll, a duplicate webhook) must not start a second, racing run. Stalled postings are
    // picked up by the scheduler's sweep instead.
    if (!('error' in outcome) && outcome.appended.length > 0) this.kick(stream);
    return outcome;
  }

  /**
   * Runs the pipeline for this stream soon, once (a kick while one is queued is absorbed). `recovering`: the
   * caller resumes a posting nobody here was driving (at start, or stalled elsewhere), so a live create claim's
   * journal is looked up at once rather than at its next due lookup.
   */
  kick(stream: string, options: { recovering?: boolean } = {}): void {
    if (this.stopped) return;
    const pending = this.queued.get(stream);
    if (pending) {
      pending.recovering ||= options.recovering === true;
      return;
    }
    const run = { recovering: options.recovering === true };
    this.queued.set(stream, run);
    void this.serializer
      .run(stream, async () => {
        this.queued.delete(stream);
        return this.advance(stream, run.recovering);
      })
      .then((next) => this.scheduleIfWaiting(stream, next))
      .catch((error) => this.observer?.stepFailed?.(stream, error));
  }

  /** Runs the pipeline now and resolves with where it stopped (tests, and the replay endpoint's callers). */
  run(stream: string): Promise<NextStep> {
    return this.serializer.run(stream, () => this.advance(stream)).then((next) => {
      this.scheduleIfWaiting(stream, next);
      return next;
    });
  }

  /** Resolves once no step is running or queued in this process. */
  idle(): Promise<void> {
    return this.serializer.idle();
  }

  isRunning(stream: string): boolean {
    return this.serializer.isBusy(stream);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private get claimTerms(): ClaimTerms {
    const queueLimitMs = this.retry.queueLimitMs ?? DEFAULT_QUEUE_LIMIT_MS;
    return { queueLimitMs, sendWindowMs: this.retry.sendWindowMs ?? sendWindowFor(queueLimitMs) };
  }

  private async advance(stream: string, recovering = false): Promise<NextStep> {
    let next: NextStep = { kind: 'idle', reason: 'not_requested' };
    let view: RunView | undefined;
    for (let i = 0; i < MAX_STEPS_PER_RUN && !this.stopped; i++) {
      let loaded: RunView = view ?? (await loadPosting(this.store, stream));
      view = undefined;
      // Recovery looks a claimed create up at once, in the first step only: that lookup is then on record.
      next = nextStep(loaded.state, this.clock.now(), { recovering: recovering && i === 0 });
      if (next.kind !== 'run') {
        if (loaded.carried) await this.append(loaded, [], this.causeOf(loaded)); // not expected: record the build as it was
        return next;
      }
      const work = next.work;
      const decision = await performStep(work, loaded.state, {
        gusto: this.gusto,
        acumatica: this.acumatica,
        connections: this.connections,
        clock: this.clock,
        retry: this.retry,
        claimTerms: this.claimTerms,
        claim: async (claim) => {
          if (isError(claim) || claim.length === 0) return null;
          const after = await this.append(loaded, claim, this.causeOf(loaded));
          if (after) loaded = after;
          return after?.state ?? null;
        },
      });
      // not_at_this_step: the stream moved on while we worked (another instance); re-read and carry on.
      // Carried events go too: they lost the same race (at worst the next step builds again).
      if (isError(decision) || decision.length === 0) continue;
      if (work === 'build' && !loaded.carried) {
        const carried = this.carry(loaded, decision);
        if (nextStep(carried.state, this.clock.now()).kind === 'run') {
          view = carried;
          continue;
        }
      }
      // The stream as read right after the append is where the next step starts (no second read).
      view = (await this.append(loaded, decision, this.causeOf(loaded))) ?? (await this.recordCreatedAfterRace(stream, decision)) ?? undefined;
    }
    if (view?.carried) await this.append(view, [], this.causeOf(view));
    return next;
  }

  /**
   * A create's outcome lost its append race: another run wrote meanwhile (typically a lookup that found
   * nothing while the create sat in Acumatica's queue). What Acumatica answered is still true, so it is
   * decided again on the stream as it now stands (not_at_this_step when that run already found the journal).
   */
  private async recordCreatedAfterRace(stream: string, decision: PayrollPostingEvent[]): Promise<LoadedPosting | null> {
    const created = decision.find((e) => e.type === 'JournalCreated' || e.type === 'ReversalJournalCreated');
    if (!created || (created.type !== 'JournalCreated' && created.type !== 'ReversalJournalCreated')) return null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const fresh = await loadPosting(this.store, stream);
      const again = created.type === 'JournalCreated' ? recordJournalInAcumatica(fresh.state, created.data, false) : recordReversalInAcumatica(fresh.state, created.data, false);
      if (isError(again) || again.length === 0) return null;
      const after = await this.append(fresh, again, this.causeOf(fresh));
      if (after) return after;
    }
    return null;
  }

  /** Who caused the next events: the chain's correlation id, and the last event (carried ones included). */
  private causeOf(view: RunView): Cause {
    const first = (view.carried?.base ?? view).events[0];
    const last = view.carried ? view.carried.events[view.carried.events.length - 1] : view.events[view.events.length - 1];
    return { actor: 'system', correlationId: first?.metadata.correlationId ?? first?.id, causationId: last?.id };
  }

  /** The view after `decided`, not yet appended (see RunView). */
  private carry(loaded: LoadedPosting, decided: PayrollPostingEvent[]): RunView {
    const events = toNewEvents(loaded, decided, this.metadataFor(this.causeOf(loaded)));
    // Folded from the stored form (JSON round trip in toNewEvents), exactly as a reader would see them.
    const state = fold(events as unknown as PayrollPostingEvent[], loaded.state);
    const base = typeof loaded.expected === 'bigint' ? loaded.expected : -1n;
    return { stream: loaded.stream, state, expected: base + BigInt(events.length), events: loaded.events, carried: { base: loaded, events, decided } };
  }

  private metadataFor(cause: Cause): EventMetadata {
    const metadata: EventMetadata = { at: this.clock.now().toISOString(), actor: cause.actor };
    if (cause.actorName) metadata.actorName = cause.actorName;
    if (cause.correlationId) metadata.correlationId = cause.correlationId;
    if (cause.causationId) metadata.causationId = cause.causationId;
    return metadata;
  }

  /**
   * Appends with the revision loaded (with any carried events first, in the same append). Null when another
   * writer got there first (the caller re-reads; carried events are dropped with the lost race).
   */
  private async append(loaded: RunView, events: PayrollPostingEvent[], cause: Cause): Promise<LoadedPosting | null> {
    const metadata = this.metadataFor(cause);
    const carried = loaded.carried;
    const fresh = events.length > 0 ? toNewEvents(loaded, events, metadata) : [];
    try {
      await this.store.append(loaded.stream, carried ? [...carried.events, ...fresh] : fresh, carried ? carried.base.expected : loaded.expected);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return null;
      throw error;
    }
    const after = await loadPosting(this.store, loaded.stream);
    this.observer?.appended(loaded.stream, carried ? [...carried.decided, ...events] : events, carried ? carried.base.state : loaded.state, after, metadata);
    return after;
  }

  /** A retry waits in the log (AttemptFailed.nextAttemptAt); this timer is only the prompt local wake-up. */
  private scheduleIfWaiting(stream: string, next: NextStep): void {
    if (this.stopped || next.kind !== 'wait') return;
    const existing = this.timers.get(stream);
    if (existing) clearTimeout(existing);
    const delay = Math.max(0, Date.parse(next.until) - this.clock.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(stream);
      this.kick(stream);
    }, Math.min(delay, 2 ** 31 - 1));
    timer.unref();
    this.timers.set(stream, timer);
  }
}
