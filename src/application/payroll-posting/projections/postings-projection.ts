import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { METRICS, type MetricsRegistry } from '../../metrics/metrics.port';
import { isPayrollPostingEvent, postingId, STREAM_PREFIX, type PayrollPostingEvent } from '../../../domain/payroll-posting/events';
import { evolve, initialState, isSettled, type PayrollPosting, type PostingStatus } from '../../../domain/payroll-posting/state';
import { EVENT_STORE, type EventStore, type RecordedEvent, type Subscription } from '../../ports/event-store.port';
import type { ReadModelProgress } from './read-model-registry';
import { toView, type PostingView, type ViewTimes } from './posting-view';

interface Row {
  stream: string;
  state: PayrollPosting;
  times: ViewTimes;
  /** Global position of the stream's first event: orders the list newest first, and is the page cursor. */
  firstPosition: bigint;
  view: PostingView;
}

const emptyCounts = (): Record<PostingStatus, number> => ({ pending: 0, posted: 0, failed: 0, needs_attention: 0, cancelled: 0 });

export const POSTINGS_BY_STATUS = { name: 'mlc_postings', help: 'Payroll postings by current status', labelNames: ['status'] } as const;

export interface PostingQuery {
  connectionId?: string;
  status?: string;
  payrollUuid?: string;
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
 * The postings read model: in memory, fed by a catch-up subscription over `payroll-posting-*`.
 * Why in memory: the log is the only truth and this model is small (one row per payroll: a company runs
 * 26–52 a year), so replaying it at start takes milliseconds, works the same on SQLite and KurrentDB, and
 * can never drift from the log or need a migration. Its checkpoint (the last position handled) lives with
 * it and a rebuild is simply a fresh catch-up from position zero.
 */
@Injectable()
export class PostingsProjection implements OnApplicationShutdown {
  /** By stream name; `byId` maps the posting id to it. */
  private rows = new Map<string, Row>();
  private byId = new Map<string, string>();
  private checkpoint: bigint | undefined;
  private handled = 0;
  private isLive = false;
  /** Rows per status, kept as rows change (never recounted). */
  private counts: Record<PostingStatus, number> = emptyCounts();
  private subscription?: Subscription;
  private live: Promise<void> = Promise.resolve();
  private generation = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(METRICS) private readonly metrics?: MetricsRegistry,
  ) {}

  /** Starts (or restarts from zero) the catch-up; resolves when every event recorded so far is applied. */
  start(): Promise<void> {
    const generation = ++this.generation;
    this.rows = new Map();
    this.byId = new Map();
    this.checkpoint = undefined;
    this.handled = 0;
    this.counts = emptyCounts();
    this.publishCounts();
    this.isLive = false;
    this.live = new Promise<void>((resolve, reject) => {
      this.subscription = this.store.subscribeToAll(
        (event) => {
          if (generation === this.generation) this.apply(event);
        },
        {
          filter: { streamPrefixes: [STREAM_PREFIX] },
          onLive: () => {
            if (generation === this.generation) this.isLive = true;
            resolve();
          },
          onError: reject,
        },
      );
    });
    return this.live;
  }

  whenLive(): Promise<void> {
    return this.live;
  }

  async rebuild(): Promise<RebuildReport> {
    await this.subscription?.stop();
    await this.start();
    return this.report();
  }

  progress(): ReadModelProgress {
    return { name: 'postings', live: this.isLive, rebuilding: false, checkpoint: this.checkpoint === undefined ? null : String(this.checkpoint) };
  }

  report(): RebuildReport {
    const rows = [...this.rows.values()].sort((a, b) => (a.view.id < b.view.id ? -1 : 1)).map((r) => r.view);
    return {
      name: 'postings',
      events: this.handled,
      rows: rows.length,
      checkpoint: this.checkpoint === undefined ? null : String(this.checkpoint),
      digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex'),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.generation++;
    await this.subscription?.stop();
  }

  get(id: string): PostingView | null {
    const stream = this.byId.get(id);
    return stream ? (this.rows.get(stream)?.view ?? null) : null;
  }

  list(query: PostingQuery): { items: PostingView[]; next: string | null } {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const before = query.cursor !== undefined && /^\d+$/.test(query.cursor) ? BigInt(query.cursor) : undefined;
    const matching = [...this.rows.values()]
      .filter((r) => r.view.id !== '')
      .filter((r) => before === undefined || r.firstPosition < before)
      .filter((r) => !query.connectionId || r.view.connectionId === query.connectionId)
      .filter((r) => !query.status || r.view.status === query.status)
      .filter((r) => !query.payrollUuid || r.view.payrollUuid === query.payrollUuid)
      .sort((a, b) => (a.firstPosition > b.firstPosition ? -1 : a.firstPosition < b.firstPosition ? 1 : 0));
    const page = matching.slice(0, limit);
    const next = matching.length > limit ? String(page[page.length - 1]!.firstPosition) : null;
    return { items: page.map((r) => r.view), next };
  }

  /** Postings whose pipeline is not finished (the scheduler's resume and sweep list). */
  unsettled(): Array<{ stream: string; state: PayrollPosting; view: PostingView }> {
    return [...this.rows.values()].filter((r) => !isSettled(r.state)).map((r) => ({ stream: r.stream, state: r.state, view: r.view }));
  }

  countByStatus(): Record<PostingStatus, number> {
    return { ...this.counts };
  }

  private apply(event: RecordedEvent): void {
    this.checkpoint = event.position;
    if (!event.stream.startsWith(STREAM_PREFIX) || !isPayrollPostingEvent(event)) return;
    this.handled += 1;
    const domainEvent = event as unknown as PayrollPostingEvent;
    const at = typeof event.metadata.at === 'string' ? event.metadata.at : event.recordedAt;
    const existing = this.rows.get(event.stream);
    const state = evolve(existing?.state ?? initialState, domainEvent);
    const times: ViewTimes = {
      createdAt: existing?.times.createdAt ?? at,
      updatedAt: at,
      postedAt: domainEvent.type === 'PayrollPosted' ? at : state.phase === 'posted' ? existing?.times.postedAt : undefined,
      events: (existing?.times.events ?? 0) + 1,
    };
    // A posting stream always starts with an event naming its connection and payroll; the guard only
    // keeps a malformed stream out of the listings.
    const id = state.connectionId && state.payrollUuid ? postingId(state.connectionId, state.payrollUuid) : '';
    const row: Row = { stream: event.stream, state, times, firstPosition: existing?.firstPosition ?? event.position, view: toView(id, state, times) };
    this.rows.set(event.stream, row);
    if (id) this.byId.set(id, event.stream);
    if (existing?.view.status !== row.view.status) {
      if (existing) this.counts[existing.view.status] -= 1;
      this.counts[row.view.status] += 1;
      this.publishCounts(existing?.view.status, row.view.status);
    }
  }

  /** `mlc_postings{status}`: how many postings are in each status now (the counter counts transitions). */
  private publishCounts(...statuses: Array<PostingStatus | undefined>): void {
    if (!this.metrics) return;
    const gauge = this.metrics.gauge(POSTINGS_BY_STATUS);
    const which = statuses.length > 0 ? statuses.filter((s): s is PostingStatus => s !== undefined) : (Object.keys(this.counts) as PostingStatus[]);
    for (const status of which) gauge.set(this.counts[status], { status });
  }
}
