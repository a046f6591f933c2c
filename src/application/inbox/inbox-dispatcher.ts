import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { EventStore, RecordedEvent, Subscription } from '../ports/event-store.port';
import { CONNECTOR_METRICS, type MetricsRegistry } from '../metrics/metrics.port';
import type { CheckpointStore } from './checkpoint-store';
import { commandFor, eventTypeLabel, isActedOn, orderingKeyOf, type InboxCommand } from './event-routing';
import {
  INBOX_STREAM_PREFIX,
  SETTLED_TYPES,
  deterministicEventId,
  inboxStream,
  type GustoWebhookReceived,
  type InboxEventType,
} from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { ProgressTracker } from './progress-tracker';
import pLimit from 'p-limit';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { required } from '../../domain/shared/required';

/** The CommandBus as the dispatcher uses it (structural, so unit tests pass a fake). */
export interface CommandDispatch {
  execute(command: InboxCommand): Promise<unknown>;
}

export interface DispatcherOptions {
  /** Events handled at once (different entities); the subscription waits when all slots are busy. */
  concurrency: number;
  /** After this long a command counts as dispatched though its handler still runs, freeing the slot. */
  commandTimeoutMs: number;
  /** Waits between attempts when routing or dispatch throws; then the event is recorded as failed. */
  retryDelaysMs: number[];
  /** How often the checkpoint is written while events flow. */
  checkpointEveryMs: number;
  /** Wait before re-subscribing after the subscription failed. */
  resubscribeAfterMs: number;
  /** How long stop() waits for running events before letting the store close. */
  stopGraceMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  concurrency: 8,
  commandTimeoutMs: 30_000,
  retryDelaysMs: [500, 2_000, 10_000],
  checkpointEveryMs: 2_000,
  resubscribeAfterMs: 1_000,
  stopGraceMs: 5_000,
};

/** What the dispatcher appends to the event's inbox stream, and the metric action it counts as. */
interface Outcome {
  type: Exclude<InboxEventType, 'GustoWebhookReceived'>;
  action: 'ignored' | 'unknown_company' | 'dispatched' | 'failed';
  data: { at: string } & Record<string, unknown>;
}

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
  private timer: NodeJS.Timeout | undefined;
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
    this.timer = setInterval(() => void this.saveCheckpoint(), this.options.checkpointEveryMs);
    this.timer.unref?.();
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
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    this.subscription = undefined;
    // Bounded: an event still running after the grace period is not settled, so the next start re-dispatches it.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, this.options.stopGraceMs))),
    ]);
    clearTimeout(grace);
    await this.saveCheckpoint();
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
    await this.note(stream, revision, received, outcome);
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
        const finished = await this.executeWithin(command);
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

  /** True when the command finished in time; false when it is still running (it keeps running). */
  private async executeWithin(command: InboxCommand): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.commandTimeoutMs);
    });
    let waiting = true;
    const execution = this.commands.execute(command);
    // Once we stop waiting nobody else hears about a late failure: log it (the poll is the safety net).
    execution.catch((error: unknown) => {
      if (!waiting)
        this.logger.warn('command failed after the dispatcher stopped waiting', {
          command: command.constructor.name,
          error: (error as Error)?.message,
        });
    });
    try {
      return await Promise.race([execution.then(() => true as const), timedOut]);
    } finally {
      waiting = false;
      clearTimeout(timer);
    }
  }

  private async note(
    stream: string,
    revision: bigint,
    received: GustoWebhookReceived,
    { type, data, action }: Outcome,
  ): Promise<void> {
    const at = data.at;
    try {
      // Expected revision = what we read: if another instance settled it meanwhile, theirs stands.
      await this.store.append(
        stream,
        [
          {
            id: deterministicEventId('inbox-outcome', received.eventUuid),
            type,
            data,
            metadata: { correlationId: received.eventUuid, causationId: received.eventUuid, actor: 'system', at },
          },
        ],
        revision,
      );
    } catch (error) {
      if ((error as { code?: string }).code !== 'wrong_expected_revision') throw error;
      return;
    }
    this.metrics
      .counter(CONNECTOR_METRICS.inboxDispatch)
      .inc({ event_type: eventTypeLabel(received.eventType), action });
    this.logger.info('inbox event handled', {
      eventUuid: received.eventUuid,
      eventType: received.eventType,
      outcome: type,
    });
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.progress.safePosition;
    if (position === undefined) return;
    try {
      await this.checkpoint.save(position);
    } catch (error) {
      this.logger.warn('could not store the inbox checkpoint; will retry', { error: (error as Error).message });
    }
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
