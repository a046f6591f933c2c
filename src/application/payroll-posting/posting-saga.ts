import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Decision } from '../../domain/payroll-posting/decide';
import type { PayrollPostingEvent } from '../../domain/payroll-posting/events';
import type { NextStep } from '../../domain/payroll-posting/next-step';
import type { PayrollPosting } from '../../domain/payroll-posting/state';
import { ACUMATICA, type AcumaticaApi } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, type EventMetadata, type EventStore } from '../ports/event-store.port';
import { GUSTO, type GustoApi } from '../ports/gusto.port';
import { CommandHandler, type ConflictError } from '../shared/command-handler';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { PostingProcess } from './posting-process';
import { metadataFor, postingAggregate, type Cause, type LoadedPosting, type PostingHandler } from './posting-stream';
import { PostingTimers } from './posting-timers';
import { RETRY_SETTINGS, type RetrySettings } from './retry-policy';

export type { Cause } from './posting-stream';

/** Told about every append the pipeline makes (metrics, logs). */
export const POSTING_OBSERVER = Symbol('POSTING_OBSERVER');
export interface PostingObserver {
  appended(
    stream: string,
    events: PayrollPostingEvent[],
    before: PayrollPosting,
    after: LoadedPosting,
    metadata: EventMetadata,
  ): void;
  stepFailed?(stream: string, error: unknown): void;
}

/** A command that keeps losing its append race to other instances gives up after this many attempts (write_conflict). */
const COMMAND_ATTEMPTS = 10;

export type Executed =
  | { state: PayrollPosting; appended: PayrollPostingEvent[]; revision: bigint | 'no_stream' }
  | { error: Extract<Decision, { error: string }>['error'] | ConflictError; current?: bigint | 'no_stream' };

/**
 * The posting pipeline's entry: commands through the one command handler, and runs of the process manager
 * (posting-process.ts), one at a time per stream. Exactly once comes from three things together: per-stream
 * serialization in this process, optimistic concurrency in the store across processes (the loser re-reads and
 * continues or stops), and the lookup-by-tag before every create in Acumatica (a lost response after commit is
 * found, not repeated).
 */
@Injectable()
export class PostingSaga implements OnApplicationShutdown {
  private readonly serializer = new KeyedSerializer();
  /** Streams with a run queued here, and whether that run resumes a posting it was not driving. */
  private readonly queued = new Map<string, { recovering: boolean }>();
  private readonly postings: PostingHandler;
  private readonly process: PostingProcess;
  private readonly timers: PostingTimers;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(GUSTO) gusto: GustoApi,
    @Inject(ACUMATICA) acumatica: AcumaticaApi,
    @Inject(CONNECTIONS) connections: Connections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RETRY_SETTINGS) retry: RetrySettings,
    @Optional() @Inject(POSTING_OBSERVER) private readonly observer?: PostingObserver,
  ) {
    this.postings = new CommandHandler(store, postingAggregate, {
      maxAttempts: COMMAND_ATTEMPTS,
      observe: observer
        ? (before, events, after, metadata) => observer.appended(after.stream, events, before.state, after, metadata)
        : undefined,
    });
    this.process = new PostingProcess(
      this.postings,
      { gusto, acumatica, connections, clock, retry },
      () => this.stopped,
    );
    this.timers = new PostingTimers(clock, (stream) => this.kick(stream));
  }

  /**
   * Applies a command's decision under the stream's lock (so it never interleaves with a step), then starts
   * the pipeline in the background. Returns the state after the command. `ifRevision` (an If-Match): decided
   * only on that revision of the stream, else revision_mismatch naming the current one.
   */
  async execute(
    stream: string,
    decide: (state: PayrollPosting) => Decision,
    cause: Cause,
    ifRevision?: bigint,
  ): Promise<Executed> {
    const out = await this.serializer.run(stream, () =>
      this.postings.handle(stream, decide, () => metadataFor(cause, this.clock.now()), { ifRevision }),
    );
    if (!out.ok)
      return out.error === 'revision_mismatch' ? { error: out.error, current: out.current } : { error: out.error };
    // Only the instance whose append went through drives the pipeline: a repeated request (another
    // instance's poll, a duplicate webhook) must not start a second, racing run. Stalled postings are
    // picked up by the scheduler's sweep instead.
    if (out.events.length > 0) this.kick(stream);
    return { state: out.state, appended: out.events, revision: out.revision };
  }

  /** The posting stream's revision now (its ETag). */
  async revisionOf(stream: string): Promise<bigint | 'no_stream'> {
    return this.postings.revisionOf(stream);
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
        return this.process.advance(stream, run.recovering);
      })
      .then((next) => this.timers.afterRun(stream, next))
      .catch((error) => this.observer?.stepFailed?.(stream, error));
  }

  /** Runs the pipeline now and resolves with where it stopped (tests, and the replay endpoint's callers). */
  run(stream: string): Promise<NextStep> {
    return this.serializer
      .run(stream, () => this.process.advance(stream))
      .then((next) => {
        this.timers.afterRun(stream, next);
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
    this.timers.stop();
  }
}
