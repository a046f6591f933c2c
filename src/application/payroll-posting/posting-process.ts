import { sendWindowFor, type ClaimTerms } from '../../domain/payroll-posting/create-claim';
import { recordJournalInAcumatica } from '../../domain/payroll-posting/decide';
import { recordReversalInAcumatica } from '../../domain/payroll-posting/decide-reversal';
import type { PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { nextStep, type NextStep } from '../../domain/payroll-posting/next-step';
import type { PayrollPosting } from '../../domain/payroll-posting/state';
import { isRefused } from '../../domain/shared/decision';
import type { AcumaticaApi } from '../ports/acumatica.port';
import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { EventMetadata } from '../ports/event-store.port';
import type { GustoApi } from '../ports/gusto.port';
import { performStep } from './posting-steps';
import { metadataFor, systemCause, type LoadedPosting, type PostingHandler } from './posting-stream';
import type { RetrySettings } from './retry-policy';

/** ACUMATICA_QUEUE_LIMIT_S's default: real Acumatica queues requests over the licence limit for up to 10 min. */
const DEFAULT_QUEUE_LIMIT_MS = 600_000;

/** A run never takes more than this many steps: a full posting with release and reversal takes 7. */
const MAX_STEPS_PER_RUN = 25;

/** A create's answer that loses its append race is decided again on the fresh stream this many times. */
const CREATED_AFTER_RACE_ATTEMPTS = 3;

/**
 * The build step's outcome (PayrollFetched + JournalBuilt), decided but not yet appended: it rides with the
 * post step's first append — the create claim, or ExistingJournalFound, or AttemptFailed — in ONE atomic
 * append at the revision loaded before the build: one commit (one fsync) less per posting, with the same
 * events, ids, per-event metadata and order as two appends. Nothing outside the log happens in between but a
 * lookup, so a crash there loses only a Gusto read that the next run repeats; a claim is still in the log
 * before any create. `view` is the stream as it will be once they are written (state folded locally).
 */
interface PendingBuild {
  base: LoadedPosting;
  events: PayrollPostingEvent[];
  metadata: EventMetadata;
  view: LoadedPosting;
}

export interface ProcessDeps {
  gusto: GustoApi;
  acumatica: AcumaticaApi;
  connections: Connections;
  clock: Clock;
  retry: RetrySettings;
}

/**
 * The posting process manager: from where a posting stands, the next step's outside calls (posting-steps.ts),
 * its decision, and the append at the revision loaded — until it has to wait or is done. The stream is read
 * once per run and again only after a lost race: after an append, the state is folded from what was written.
 */
export class PostingProcess {
  constructor(
    private readonly postings: PostingHandler,
    private readonly deps: ProcessDeps,
    private readonly stopped: () => boolean,
  ) {}

  private get claimTerms(): ClaimTerms {
    const queueLimitMs = this.deps.retry.queueLimitMs ?? DEFAULT_QUEUE_LIMIT_MS;
    return { queueLimitMs, sendWindowMs: this.deps.retry.sendWindowMs ?? sendWindowFor(queueLimitMs) };
  }

  /**
   * Runs the posting's steps and answers where it stopped. `recovering`: it resumes a posting nobody here was
   * driving, so a claimed create's journal is looked up at once (in the first step only: that lookup is then on record).
   */
  async advance(stream: string, recovering = false): Promise<NextStep> {
    let next: NextStep = { kind: 'idle', reason: 'not_requested' };
    let known: LoadedPosting | undefined;
    let pending: PendingBuild | undefined;
    for (let i = 0; i < MAX_STEPS_PER_RUN && !this.stopped(); i++) {
      let loaded = pending?.view ?? known ?? (await this.postings.load(stream));
      known = undefined;
      next = nextStep(loaded.state, this.deps.clock.now(), { recovering: recovering && i === 0 });
      if (next.kind !== 'run') {
        if (pending) await this.write(loaded, [], pending); // not expected: record the build as it was
        return next;
      }
      const work = next.work;
      const decision = await performStep(work, loaded.state, {
        ...this.deps,
        claimTerms: this.claimTerms,
        claim: async (claim) => {
          if (isRefused(claim) || claim.events.length === 0) return null;
          const after = await this.write(loaded, claim.events, pending);
          pending = undefined;
          if (after) loaded = after;
          return after?.state ?? null;
        },
      });
      // not_at_this_step: the stream moved on while we worked (another instance); re-read and carry on.
      // A pending build goes too: it lost the same race (at worst the next step builds again).
      if (isRefused(decision) || decision.events.length === 0) {
        pending = undefined;
        continue;
      }
      if (work === 'build' && !pending) {
        const metadata = metadataFor(systemCause(loaded), this.deps.clock.now());
        const view = this.postings.after(loaded, decision.events, metadata);
        if (nextStep(view.state, this.deps.clock.now()).kind === 'run') {
          pending = { base: loaded, events: decision.events, metadata, view };
          continue;
        }
      }
      known =
        (await this.write(loaded, decision.events, pending)) ??
        (await this.recordCreatedAfterRace(stream, decision.events)) ??
        undefined;
      pending = undefined;
    }
    if (pending) await this.write(pending.view, [], pending);
    return next;
  }

  /**
   * Appends `events` at the revision loaded, with a pending build first in the same append. The stream after
   * it, or null when another writer got there first (the caller re-reads; the pending build is dropped).
   */
  private write(
    loaded: LoadedPosting,
    events: PayrollPostingEvent[],
    pending?: PendingBuild,
  ): Promise<LoadedPosting | null> {
    const batch = { events, metadata: metadataFor(systemCause(loaded), this.deps.clock.now()) };
    if (!pending) return this.postings.append(loaded, events, batch.metadata);
    return this.postings.appendBatches(
      pending.base,
      events.length > 0
        ? [{ events: pending.events, metadata: pending.metadata }, batch]
        : [{ events: pending.events, metadata: pending.metadata }],
    );
  }

  /**
   * A create's outcome lost its append race: another run wrote meanwhile (typically a lookup that found
   * nothing while the create sat in Acumatica's queue). What Acumatica answered is still true, so it is
   * decided again on the stream as it now stands (not_at_this_step when that run already found the journal).
   */
  private async recordCreatedAfterRace(stream: string, decision: PayrollPostingEvent[]): Promise<LoadedPosting | null> {
    const created = decision.find((e) => e.type === 'JournalCreated' || e.type === 'ReversalJournalCreated');
    if (!created || (created.type !== 'JournalCreated' && created.type !== 'ReversalJournalCreated')) return null;
    const again = (state: PayrollPosting) =>
      created.type === 'JournalCreated'
        ? recordJournalInAcumatica(state, created.data, false)
        : recordReversalInAcumatica(state, created.data, false);
    const out = await this.postings.handle(
      stream,
      again,
      (fresh) => metadataFor(systemCause(fresh), this.deps.clock.now()),
      { maxAttempts: CREATED_AFTER_RACE_ATTEMPTS },
    );
    return out.ok && out.events.length > 0 ? out.loaded : null;
  }
}
