import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { METRICS, type MetricsRegistry } from '../../metrics/metrics.port';
import type { PayrollPosting, PostingStatus } from '../../../domain/payroll-posting/state';
import { EVENT_STORE, type EventStore } from '../../ports/event-store.port';
import type { AuditEvent } from './audit-event';
import { GenerationProjector, type StatusChanges } from './generation-projector';
import type { PostingView } from './posting-view';
import type { ReadModelProgress } from './read-model-registry';
import {
  READ_MODEL_STORE,
  type AuditIndexQuery,
  type AuditLogQuery,
  type ReadModelStore,
} from './read-model-store.port';

/** How often an instance looks whether another one promoted a rebuilt generation. */
const FOLLOW_EVERY_MS = 500;
/** How long a replaced generation stays (for the instances still writing it) before it is dropped. */
export const RETIRED_GRACE_MS = 60_000;

export const POSTINGS_BY_STATUS = {
  name: 'mlc_postings',
  help: 'Payroll postings by current status',
  labelNames: ['status'],
} as const;

export interface PostingQuery {
  connectionId?: string;
  status?: string;
  payrollUuid?: string;
  /** Only postings with an accrual in this status. */
  accrual?: string;
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

export interface RebuildReport {
  name: string;
  events: number;
  rows: number;
  checkpoint: string | null;
  /** sha256 of every row in id order: equal digests mean identical read models. */
  digest: string;
}

/**
 * The postings read model and the audit index, persisted (READ_MODEL_STORE) with their checkpoint: a start
 * catches up from the checkpoint, not from zero, and a request reads indexed rows, never the whole log.
 * Memory holds only the unsettled postings' state (the scheduler's list). Counts move with each row.
 *
 * A rebuild (`POST /api/projections/rebuild`) folds the whole log into a new generation in the background
 * while the current one keeps answering, then swaps them.
 */
@Injectable()
export class PostingsProjection implements OnApplicationShutdown {
  private current?: GenerationProjector;
  private building?: { projector: GenerationProjector; done: Promise<RebuildReport> };
  private live: Promise<void> = Promise.resolve();
  private closed = false;
  private following?: NodeJS.Timeout;
  private switching?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Optional() @Inject(METRICS) private readonly metrics?: MetricsRegistry,
  ) {}

  /** Starts the catch-up from the stored checkpoint; resolves when every event recorded so far is applied. */
  start(): Promise<void> {
    const projector = new GenerationProjector(
      this.store,
      this.readModels.current(),
      (changes) => this.publish(changes),
      { bulkBuild: this.readModels.bulkBuild },
    );
    this.current = projector;
    this.publishAll();
    this.live = projector.start();
    // A read model stored by an older version lacks the whole log's audit index: rebuilt in the background
    // (the log is paged for that query meanwhile, as before).
    void this.live.then(
      () => {
        if (!this.closed && !projector.generation.hasLogIndex()) this.rebuild().catch(() => undefined);
      },
      () => undefined,
    );
    this.following = setInterval(() => void this.follow().catch(() => undefined), FOLLOW_EVERY_MS);
    this.following.unref();
    return this.live;
  }

  /**
   * Another instance on the same store may have rebuilt and promoted a new generation: this one then
   * writes to the new generation too (caught up from its checkpoint, which that instance keeps at the
   * head), and stops writing the old one before it is dropped (RETIRED_GRACE_MS after the promotion).
   */
  follow(): Promise<void> {
    if (this.closed || this.building || this.switching || !this.current) return this.switching ?? Promise.resolve();
    const name = this.readModels.currentName();
    if (name === undefined || name === this.current.generation.name) {
      this.readModels.dropRetired(RETIRED_GRACE_MS);
      return Promise.resolve();
    }
    const previous = this.current;
    const next = new GenerationProjector(this.store, this.readModels.current(), (changes) => this.publish(changes));
    this.switching = (async () => {
      try {
        await next.start();
        if (this.closed || this.building) return void (await next.stop());
        this.current = next;
        this.live = Promise.resolve();
        this.publishAll();
        await previous.stop();
      } finally {
        this.switching = undefined;
      }
    })();
    return this.switching;
  }

  whenLive(): Promise<void> {
    return this.live;
  }

  /** How many events the current projector has read from the log since this process started it. */
  eventsReadSinceStart(): number {
    return this.current?.delivered ?? 0;
  }

  rebuild(): Promise<RebuildReport> {
    if (this.building) return this.building.done;
    // Throws RebuildInProgressError while another instance's rebuild is still writing.
    const projector = new GenerationProjector(this.store, this.readModels.createGeneration(), () => undefined, {
      bulkBuild: this.readModels.bulkBuild,
    });
    const done = (async (): Promise<RebuildReport> => {
      try {
        await this.switching;
        await projector.start();
        if (this.closed) throw new Error('shutting down');
        const previous = this.current;
        await previous?.stop();
        this.readModels.promote(projector.generation);
        // The new generation now feeds the gauges and the scheduler.
        projector.onChanges = (changes) => this.publish(changes);
        this.current = projector;
        this.live = Promise.resolve();
        this.publishAll();
        return this.report();
      } catch (error) {
        await projector.stop();
        this.readModels.discard(projector.generation);
        throw error;
      } finally {
        this.building = undefined;
      }
    })();
    this.building = { projector, done };
    return done;
  }

  progress(): ReadModelProgress {
    const checkpoint = this.current?.checkpoint;
    return {
      name: 'postings',
      live: (this.current?.live ?? false) && !this.current?.failed,
      rebuilding: this.building !== undefined,
      checkpoint: checkpoint === undefined ? null : String(checkpoint),
      ...(this.current ? { generation: this.current.generation.name } : {}),
    };
  }

  async report(): Promise<RebuildReport> {
    const generation = this.readModels.current();
    const checkpoint = generation.checkpoint();
    const { rows, events, digest } = await generation.digest();
    return {
      name: 'postings',
      events,
      rows,
      checkpoint: checkpoint === undefined ? null : String(checkpoint),
      digest,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.following) clearInterval(this.following);
    await this.switching?.catch(() => undefined);
    await this.building?.projector.stop();
    await this.current?.stop();
    this.readModels.close();
  }

  get(id: string): PostingView | null {
    return this.readModels.current().get(id);
  }

  list(query: PostingQuery): { items: PostingView[]; next: string | null } {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const before = query.cursor !== undefined && /^\d+$/.test(query.cursor) ? BigInt(query.cursor) : undefined;
    return this.readModels.current().list({
      connectionId: query.connectionId,
      status: query.status,
      payrollUuid: query.payrollUuid,
      accrual: query.accrual,
      before,
      limit,
    });
  }

  /** The audit index: one connection's events by position. */
  auditPage(query: AuditIndexQuery): { items: AuditEvent[]; next: string | null } {
    return this.readModels.current().auditPage(query);
  }

  /** The whole log's audit index, when the current generation has one (else undefined: page the log). */
  logPage(query: AuditLogQuery): { items: AuditEvent[]; next: string | null } | undefined {
    const generation = this.readModels.current();
    return generation.hasLogIndex() ? generation.logPage(query) : undefined;
  }

  /** Postings whose pipeline is not finished (the scheduler's resume and sweep list). */
  unsettled(): Array<{ stream: string; state: PayrollPosting; view: PostingView }> {
    return [...(this.current?.open.values() ?? [])].map((f) => ({ stream: f.stream, state: f.state, view: f.view }));
  }

  countByStatus(): Record<PostingStatus, number> {
    return this.readModels.current().counts();
  }

  /** `mlc_postings{status}`: how many postings are in each status now (the counter counts transitions). */
  private publish(changes: StatusChanges): void {
    if (!this.metrics) return;
    // Rows another instance wrote first: the shared counts moved without a change made here.
    if (changes.length === 0) return this.publishAll();
    const statuses = new Set<PostingStatus>();
    for (const c of changes) {
      if (c.from) statuses.add(c.from);
      statuses.add(c.to);
    }
    const counts = this.countByStatus();
    const gauge = this.metrics.gauge(POSTINGS_BY_STATUS);
    for (const status of statuses) gauge.set(counts[status], { status });
  }

  private publishAll(): void {
    if (!this.metrics) return;
    const counts = this.countByStatus();
    const gauge = this.metrics.gauge(POSTINGS_BY_STATUS);
    for (const [status, n] of Object.entries(counts)) gauge.set(n, { status });
  }
}
