import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.port';
import type { Connections, ConnectionSummary } from '../ports/connections.port';
import { EventStoreUnavailableError, type EventStore } from '../ports/event-store.port';
import type { GustoApi } from '../ports/gusto.port';
import { RequestPostingCommand } from '../payroll-posting/commands';
import { isReprocessable } from '../../domain/payroll-posting/decide';
import { isPayrollPostingEvent, type PayrollPostingEvent } from '../../domain/payroll-posting/events';
import { fold } from '../../domain/payroll-posting/state';
import { SyncAllEmployeesCommand } from '../employee-mirror/commands';
import { CONNECTOR_METRICS, type MetricsRegistry } from '../metrics/metrics.port';
import { deterministicEventId } from './inbox-events';
import type { InboxLogger } from './inbox-logger';
import { DEFAULT_POLL_WINDOW, isoDate, pollWindows, type PollWindowOptions } from './poll-window';
import { DEFAULT_POLL_LEASE_TTL_MS, PollLeases, type HeldPollLease } from './poll-lease';

import { emptySummary, type PollSummary, type PollTrigger, type RequestedBy } from './poll-summary';
import { advancePollWatermark, pollWatermarkOf } from './poll-watermark';

export type { PollSummary, PollTrigger, RequestedBy } from './poll-summary';

/** The CommandBus as the poll uses it. */
export interface PollCommandDispatch {
  execute(command: RequestPostingCommand | SyncAllEmployeesCommand): Promise<unknown>;
}

const postingStreamOf = (connectionId: string, payrollUuid: string): string =>
  `payroll-posting-${connectionId}-${payrollUuid}`;

/** This poll's lease lapsed and another instance took it over: stop before doing the same work twice. */
class PollLeaseLost extends Error {}

/**
 * The safety net under the webhooks: lists processed payrolls (regular + off-cycle) since the
 * connection's watermark and asks for a posting of every one that has none — a lost webhook, an event
 * for a company connected later, a payroll from before the subscription. Then re-syncs employees.
 * Single-flight per connection in this process, and across instances on the same event store through the
 * poll lease (./poll-lease.ts): an overlapping poll answers `busy` instead of running twice, and a cron
 * round already polled by another instance is not polled again.
 */
export class BackfillPoll {
  private readonly running = new Map<string, Promise<PollSummary>>();

  constructor(
    private readonly store: EventStore,
    private readonly connections: Pick<Connections, 'get' | 'list'>,
    private readonly gusto: Pick<GustoApi, 'listProcessedPayrolls'>,
    private readonly commands: PollCommandDispatch,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
    private readonly logger: InboxLogger,
    private readonly windowOptions: PollWindowOptions = DEFAULT_POLL_WINDOW,
    private readonly leases: PollLeases = new PollLeases(store, clock, {
      holder: `instance-${randomUUID()}`,
      ttlMs: DEFAULT_POLL_LEASE_TTL_MS,
      newLeaseId: randomUUID,
    }),
  ) {}

  /**
   * Every connection authorized with Gusto, one after another (they share nothing but the process).
   * `round`: the cron tick's scheduled time, the same on every instance (see PollLeases.claim).
   */
  async pollAll(trigger: PollTrigger, round?: string): Promise<PollSummary[]> {
    const summaries: PollSummary[] = [];
    for (const connection of await this.connections.list()) {
      if (connection.gustoStatus !== 'connected') continue;
      const summary = await this.pollConnection(connection.id, trigger, connection, round);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  isRunning(connectionId: string): boolean {
    return this.running.has(connectionId);
  }

  /** Null when there is no such connection. */
  async pollConnection(
    connectionId: string,
    trigger: PollTrigger,
    known?: ConnectionSummary,
    round?: string,
    requestedBy?: RequestedBy,
  ): Promise<PollSummary | null> {
    if (this.running.has(connectionId)) {
      this.metrics.counter(CONNECTOR_METRICS.polls).inc({ trigger, result: 'busy' });
      return { ...emptySummary(connectionId), status: 'busy', busy: 'running_here' };
    }
    const connection = known ?? (await this.connections.get(connectionId));
    if (!connection) return null;
    if (this.running.has(connectionId)) return { ...emptySummary(connectionId), status: 'busy', busy: 'running_here' }; // lost the race while looking it up
    const run = this.leased(connection, trigger, round, requestedBy).finally(() => this.running.delete(connectionId));
    this.running.set(connectionId, run);
    const summary = await run;
    this.metrics
      .counter(CONNECTOR_METRICS.polls)
      .inc({ trigger, result: summary.status === 'completed' ? 'ok' : summary.status });
    return summary;
  }

  /** Claims the connection's poll lease, runs, releases; answers busy when another instance holds it. */
  private async leased(
    connection: ConnectionSummary,
    trigger: PollTrigger,
    round: string | undefined,
    requestedBy?: RequestedBy,
  ): Promise<PollSummary> {
    const summary = emptySummary(connection.id);
    if (connection.gustoStatus !== 'connected')
      return {
        ...summary,
        status: 'skipped',
        error: `Gusto is ${connection.gustoStatus.replace('_', ' ')} for this connection`,
      };
    let claimed: Awaited<ReturnType<PollLeases['claim']>>;
    try {
      claimed = await this.leases.claim(connection.id, trigger, trigger === 'cron' ? round : undefined);
    } catch (error) {
      return {
        ...summary,
        status: 'failed',
        failedOn: 'event_store',
        error: `the poll lease could not be claimed: ${(error as Error).message}`,
      };
    }
    if (claimed.kind !== 'claimed') {
      const busy = claimed.kind === 'round_done' ? 'round_done' : 'running_elsewhere';
      this.logger.info('backfill poll not run here', {
        connectionId: connection.id,
        trigger,
        busy,
        heldBy: claimed.holder,
      });
      return {
        ...summary,
        status: 'busy',
        busy,
        ...(claimed.holder ? { heldBy: claimed.holder } : {}),
        ...(claimed.expiresAt && busy === 'running_elsewhere' ? { leaseUntil: claimed.expiresAt } : {}),
      };
    }
    const stopHeartbeat = this.leases.heartbeat(claimed.lease, (error) =>
      this.logger.warn('could not renew the poll lease; the next step tries again', {
        connectionId: connection.id,
        error: error.message,
      }),
    );
    try {
      return await this.run(connection, trigger, claimed.lease, requestedBy);
    } catch (error) {
      if (!(error instanceof PollLeaseLost)) throw error;
      this.logger.warn('backfill poll stopped: its lease lapsed and another instance took it over', {
        connectionId: connection.id,
      });
      return { ...summary, status: 'busy', busy: 'lease_lost' };
    } finally {
      stopHeartbeat();
      await this.leases.release(claimed.lease).catch((error: unknown) => {
        this.logger.warn('could not release the poll lease; it lapses by itself', {
          connectionId: connection.id,
          error: (error as Error).message,
        });
      });
    }
  }

  /** Between steps: renews the lease when due; throws PollLeaseLost when it is no longer ours. */
  private async hold(lease: HeldPollLease): Promise<void> {
    if (!(await this.leases.keep(lease))) throw new PollLeaseLost();
  }

  private async run(
    connection: ConnectionSummary,
    trigger: PollTrigger,
    lease: HeldPollLease,
    requestedBy?: RequestedBy,
  ): Promise<PollSummary> {
    const summary = emptySummary(connection.id);
    const startedAt = this.clock.now();
    const correlationId = deterministicEventId('poll', connection.id, startedAt.toISOString());
    try {
      const watermark = await pollWatermarkOf(this.store, connection.id);
      summary.windows = pollWindows(startedAt, watermark, this.windowOptions);
      const seen = new Set<string>();
      for (const window of summary.windows) {
        await this.hold(lease);
        for (const payroll of await this.gusto.listProcessedPayrolls(connection.id, window)) {
          const payrollUuid = payroll.payroll_uuid ?? payroll.uuid;
          if (seen.has(payrollUuid)) continue;
          seen.add(payrollUuid);
          // Imported history and anything not (or no longer) processed is not ours to post.
          if (payroll.external === true || payroll.processed !== true) {
            summary.externalSkipped += payroll.external === true ? 1 : 0;
            continue;
          }
          const known = await this.store.readStream(postingStreamOf(connection.id, payrollUuid));
          if (known.length > 0) {
            if (!isReprocessable(fold(known.filter(isPayrollPostingEvent) as unknown as PayrollPostingEvent[]))) {
              summary.alreadyKnown++;
              continue;
            }
            await this.hold(lease);
            await this.commands.execute(
              new RequestPostingCommand(connection.id, payrollUuid, 'poll', undefined, correlationId),
            );
            (summary.reprocessed ??= []).push(payrollUuid);
            continue;
          }
          await this.hold(lease);
          await this.commands.execute(
            new RequestPostingCommand(connection.id, payrollUuid, 'poll', undefined, correlationId, requestedBy),
          );
          summary.requested.push(payrollUuid);
        }
      }
      summary.payrollsSeen = seen.size;
      this.metrics.counter(CONNECTOR_METRICS.pollRequested).inc({}, summary.requested.length);
    } catch (error) {
      if (error instanceof PollLeaseLost) throw error;
      this.logger.warn('backfill poll failed; the watermark stays where it was', {
        connectionId: connection.id,
        error: (error as Error).message,
      });
      // The employee half does not depend on the payroll list: a failed payroll read must not skip it.
      await this.syncEmployees(connection.id, correlationId, summary, requestedBy);
      return {
        ...summary,
        status: 'failed',
        failedOn: error instanceof EventStoreUnavailableError ? 'event_store' : 'gusto',
        error: (error as Error).message,
      };
    }
    await this.hold(lease);
    await this.syncEmployees(connection.id, correlationId, summary, requestedBy);
    await advancePollWatermark(
      this.store,
      this.logger,
      connection.id,
      { through: isoDate(startedAt), polledAt: startedAt.toISOString(), trigger, requested: summary.requested.length },
      requestedBy,
    );
    this.logger.info('backfill poll done', {
      connectionId: connection.id,
      trigger,
      seen: summary.payrollsSeen,
      requested: summary.requested.length,
    });
    return { ...summary, status: 'completed' };
  }

  private async syncEmployees(
    connectionId: string,
    correlationId: string,
    summary: PollSummary,
    requestedBy?: RequestedBy,
  ): Promise<void> {
    try {
      await this.commands.execute(new SyncAllEmployeesCommand(connectionId, 'poll', correlationId, requestedBy));
      summary.employees = 'requested';
    } catch (error) {
      // Employees are re-synced on the next poll; the payroll half still counts as done.
      summary.employees = 'failed';
      this.logger.warn('employee sync request failed during the poll', {
        connectionId,
        error: (error as Error).message,
      });
    }
  }
}
