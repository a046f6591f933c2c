import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { EventStore, RecordedEvent, Subscription } from '../ports/event-store.port';
import type { MetricsRegistry } from '../metrics/metrics.port';
import type { CheckpointStore } from './checkpoint-store';
import { commandFor, isActedOn, orderingKeyOf } from './event-routing';
import { INBOX_STREAM_PREFIX, SETTLED_TYPES, inboxStream, type GustoWebhookReceived } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { ProgressTracker } from './progress-tracker';
import pLimit from 'p-limit';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { required } from '../../domain/shared/required';
import { DEFAULT_DISPATCHER_OPTIONS, type CommandDispatch, type DispatcherOptions } from './dispatcher-options';
import { executeWithin } from './execute-within';
import { noteOutcome, type Outcome } from './inbox-outcome';

export { DEFAULT_DISPATCHER_OPTIONS, type CommandDispatch, type DispatcherOptions } from './dispatcher-options';

/**
 * The inbox's asynchronous half: a catch-up subscription over `gusto-webhook-*` that turns each recorded
 * event into a command. Exactly-once is not promised — at-least-once plus idempotent handlers is:
 * - what was done is appended to the event's own inbox stream, so a re-delivered event that already
 *   has an outcome is skipped (no storm after a restart);
 * - the checkpoint only moves past events that are finished, so a crash between "recorded" and
 *   "dispatched" re-dispatches on restart (the posting and employee aggregates dedupe);
 * - commands run concurrently per entity, in order within one entity, and a slow one frees its slot
 *   after `commandTimeoutMs`, so one stuck posting cannot hold the subscription.
 */
export class InboxDispatcher {
  private subscription: Subscription | undefined;
  private readonly progress = new ProgressTracker();
  /** At most `concurrency` events in flight; within one ordering key, one at a time in log order. */
  private readonly slots: pLimit.Limit;
  private readonly perKey = new KeyedSerializer();
  private readonly inFlight = new Set<Promise<void>>();
  private saver: { stop: () => Promise<void> } | undefined;
  private stopped = true;
  private starting: Promise<void> | undefined;
  /** Resolved by stop(), so a retry wait does not hold the shutdown. */
  private stopping: { promise: Promise<void>; resolve: () => void } = deferred();
  private live = false;

  constructor(
    private readonly store: EventStore,
    private readonly connections: Pick<Connections, 'findByGustoCompany'>,
    private readonly commands: CommandDispatch,
    private readonly checkpoint: CheckpointStore,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
    private readonly logger: InboxLogger,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCHER_OPTIONS,
  ) {
    this.slots = pLimit(options.concurrency);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = deferred();
    this.saver = this.checkpoint.saveEvery(
      this.options.checkpointEveryMs,
      () => this.progress.safePosition,
      (error) => this.logger.warn('could not store the inbox checkpoint; will retry', { error: error.message }),
    );
    // An unreachable store must not stop the service from starting (/health reports it): keep trying in the background.
    this.starting = this.connect(this.options.resubscribeAfterMs);
    await Promise.race([this.starting, this.stopping.promise]);
  }

  /** Resolves once the subscription is set up (tests); start() itself returns after the first attempt. */
  async whenReady(): Promise<void> {
    let current: Promise<void> | undefined;
    do {
      current = this.starting;
      await current;
    } while (current !== this.starting);
  }

  private async connect(waitMs: number): Promise<void> {
    try {
      const from = await this.checkpoint.load();
      if (!this.stopped) this.subscribe(this.progress.safePosition ?? from);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn('inbox dispatcher cannot read its checkpoint yet; retrying', {
        error: (error as Error).message,
        retryInMs: waitMs,
      });
      // Not awaited by start(): the first failure lets the app finish starting while this keeps trying.
      const retry = this.pause(waitMs).then(() =>
        this.stopped ? undefined : this.connect(Math.min(waitMs * 2, 30_000)),
      );
      this.starting = retry;
    }
  }

  /** Stops taking events, lets running ones finish (bounded by the command timeout), writes the checkpoint. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping.resolve();
    await this.subscription?.stop();
    this.subscription = undefined;
    // Bounded: an event still running after the grace period is not settled, so the next start re-dispatches it.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, this.options.stopGraceMs))),
    ]);
    clearTimeout(grace);
    await this.saver?.stop();
    this.saver = undefined;
  }

  /** Resolves when every event delivered so far has been handled (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get isLive(): boolean {
    return this.live;
  }

  private subscribe(from: bigint | undefined): void {
    this.live = false;
    this.subscription = this.store.subscribeToAll((event) => this.accept(event), {
      fromPosition: from,
      filter: { streamPrefixes: [INBOX_STREAM_PREFIX], eventTypes: ['GustoWebhookReceived'] },
      onLive: () => {
        this.live = true;
      },
      onError: (error) => {
        this.logger.error('inbox subscription failed; re-subscribing from the checkpoint', { error: error.message });
        if (this.stopped) return;
        this.subscription = undefined;
        setTimeout(() => {
          if (!this.stopped) this.subscribe(this.progress.safePosition ?? this.checkpoint.saved);
        }, this.options.resubscribeAfterMs).unref?.();
      },
    });
  }

  /** Called by the subscription, one event at a time: returns as soon as the event has a slot. */
  private async accept(event: RecordedEvent): Promise<void> {
    if (this.stopped || event.type !== 'GustoWebhookReceived') return;
    if (!this.progress.begin(event.position)) return; // already delivered (a re-subscription overlaps)
    const received = event.data as GustoWebhookReceived;
    const key = orderingKeyOf(received);
    const slotTaken = deferred();
    // The slot is held while the event waits behind its key, as before: a slot is an event in flight.
    const job: Promise<void> = this.slots(() => {
      slotTaken.resolve();
      return this.perKey.run(key, () => this.handle(event, received));
    })
      // Only a handled event lets the checkpoint pass it: one whose outcome could not be stored is
      // re-delivered after a restart (the checkpoint waits below it until then).
      .then(
        () => this.progress.finish(event.position),
        (error: unknown) =>
          this.logger.error('inbox event could not be settled; it will be retried after a restart', {
            eventUuid: received.eventUuid,
            error: (error as Error)?.message,
          }),
      )
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
    // Back-pressure on the subscription: the next event is taken once this one has a slot.
    await slotTaken.promise;
  }

  private async handle(event: RecordedEvent, received: GustoWebhookReceived): Promise<void> {
    const stream = inboxStream(received.eventUuid);
    const history = await this.store.readStream(stream);
    if (history.some((e) => SETTLED_TYPES.has(e.type))) return; // handled before a restart: no second dispatch
    const revision = history[history.length - 1]?.revision ?? event.revision;
    const outcome = await this.decide(received);
    await noteOutcome(this.store, this.metrics, this.logger, { stream, revision, received, outcome });
  }

  /** What to record for this event; runs the command when there is one. Retries lookups and dispatch, never the note. */
  private async decide(received: GustoWebhookReceived): Promise<Outcome> {
    const at = (): string => this.clock.now().toISOString();
    if (!isActedOn(received.eventType)) {
      return { type: 'InboxEventIgnored', action: 'ignored', data: { reason: 'event_type_not_acted_on', at: at() } };
    }
    let lastError = '';
    const attempts = this.options.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const connection = await this.connections.findByGustoCompany(received.companyUuid);
        if (!connection) {
          const message = `no connection is authorized for Gusto company ${received.companyUuid}; the backfill poll will pick its payrolls up once one is`;
          return {
            type: 'InboxEventUnroutable',
            action: 'unknown_company',
            data: { reason: 'unknown_company', companyUuid: received.companyUuid, message, at: at() },
          };
        }
        const command = required(commandFor(received, connection.id), 'the command for a routed event');
        const finished = await executeWithin(this.commands, command, this.options.commandTimeoutMs, this.logger);
        const data = {
          connectionId: connection.id,
          command: command.constructor.name,
          at: at(),
          ...(finished ? {} : { stillRunning: true }),
        };
        return { type: 'InboxEventDispatched', action: 'dispatched', data };
      } catch (error) {
        lastError = (error as Error)?.message ?? String(error);
        this.logger.warn('inbox dispatch attempt failed', { eventUuid: received.eventUuid, attempt, error: lastError });
        if (attempt >= attempts) break;
        await this.pause(this.options.retryDelaysMs[attempt - 1]);
        // Shutting down mid-retry: leave the event unsettled so the next start tries again.
        if (this.stopped)
          throw new Error(`dispatch interrupted by shutdown after ${attempt} attempt(s)`, { cause: error });
      }
    }
    return { type: 'InboxEventDispatchFailed', action: 'failed', data: { error: lastError, attempts, at: at() } };
  }

  private pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return Promise.race([elapsed, this.stopping.promise]).finally(() => clearTimeout(timer));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
