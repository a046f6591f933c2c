import { Inject, Injectable, Optional } from '@nestjs/common';
import { decideSync, recordRejection, recordWrite } from '../../domain/employee-mirror/decide';
import {
  employeeMirrorStream,
  type BlockReason,
  type EmployeeMirrorEvent,
  type SyncTrigger,
} from '../../domain/employee-mirror/events';
import { employeesMappingOf, type EmployeesMapping } from '../../domain/employee-mirror/mapping';
import { snapshotOf } from '../../domain/employee-mirror/snapshot';
import { fold, type EmployeeMirrorState } from '../../domain/employee-mirror/state';
import type { GustoEmployee } from '../../domain/payroll/gusto-payroll';
import { ACUMATICA, AcumaticaApiError, type AcumaticaApi, type AcumaticaEmployee } from '../ports/acumatica.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { EVENT_STORE, type EventMetadata, type EventStore } from '../ports/event-store.port';
import { GUSTO, GustoApiError, type GustoApi } from '../ports/gusto.port';
import { isRefused } from '../../domain/shared/decision';
import { CommandHandler, RETRY, type Loaded, type StreamEvent } from '../shared/command-handler';
import { KeyedSerializer } from '../shared/keyed-serializer';
import { employeeMirrorAggregate } from './employee-stream';
import { EMPLOYEE_MIRROR_LOGGER, silentLogger, type MirrorLogger } from './mirror-logger';

export interface SyncRequest {
  connectionId: string;
  employeeUuid: string;
  trigger: SyncTrigger;
  eventType?: string;
  sourceEventId?: string;
  correlationId?: string;
  /** Already read from Gusto (the poll lists every employee in one go); otherwise it is fetched now. */
  gusto?: GustoEmployee;
  /** When `gusto` was read: a sync recorded after that (a webhook overtaking the poll) makes it stale. */
  gustoReadAt?: Date;
  /** Already read for this run (one read per poll, not one per employee). undefined: read now. */
  mapping?: { employees: EmployeesMapping | null } | null;
  /** The API caller behind the run, if any: the actor instead of the trigger. */
  requestedBy?: { id: string; name?: string };
}

export interface SyncOutcome {
  employeeUuid: string;
  /** True when Acumatica was written to (a repeated sync with nothing changed answers false). */
  wrote: boolean;
  appended: EmployeeMirrorEvent['type'][];
  blocked: BlockReason | null;
}

/** Acumatica refused for a business reason: retrying the same PUT cannot help, a person or new input must. */
const isRejection = (error: unknown): error is AcumaticaApiError =>
  error instanceof AcumaticaApiError && (error.kind === 'validation' || error.kind === 'bad_request');

/** Attempts in all: another instance appending first may have written Acumatica too, so each one re-reads everything. */
const MAX_ATTEMPTS = 3;

/**
 * The employee mirror's process: read Gusto (always — webhook bodies only name the employee), read the
 * mapping, look the Acumatica employee up (EmployeeRefNbr, then email), let the decider say what to write,
 * write at most once, and append what happened with the revision that was loaded.
 */
@Injectable()
export class EmployeeSync {
  private readonly lock = new KeyedSerializer();
  private readonly mirrors: CommandHandler<EmployeeMirrorState, EmployeeMirrorEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(GUSTO) private readonly gusto: GustoApi,
    @Inject(ACUMATICA) private readonly acumatica: AcumaticaApi,
    @Inject(CONNECTIONS) private readonly connections: Connections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(EMPLOYEE_MIRROR_LOGGER) private readonly logger: MirrorLogger = silentLogger,
  ) {
    this.mirrors = new CommandHandler(store, employeeMirrorAggregate, { maxAttempts: MAX_ATTEMPTS });
  }

  /** Reads the connection's mapping the way the decider wants it. */
  async mappingFor(connectionId: string): Promise<{ employees: EmployeesMapping | null } | null> {
    const mapping = await this.connections.getMapping(connectionId);
    return mapping ? { employees: employeesMappingOf(mapping.document) } : null;
  }

  sync(request: SyncRequest): Promise<SyncOutcome> {
    return this.lock.run(`${request.connectionId}:${request.employeeUuid}`, async () => {
      const stream = employeeMirrorStream(request.connectionId, request.employeeUuid);
      const out = await this.mirrors.attempt(stream, (loaded, attempt) => this.attempt(request, loaded, attempt > 1));
      if ('error' in out) throw new Error(`employee ${request.employeeUuid}: ${out.error}: ${out.message}`);
      return out;
    });
  }

  /** One attempt on the stream as loaded; RETRY when another instance appended first (re-read everything). */
  private async attempt(
    request: SyncRequest,
    loaded: Loaded<EmployeeMirrorState>,
    reread: boolean,
  ): Promise<SyncOutcome | typeof RETRY> {
    const { connectionId, employeeUuid } = request;
    const employee =
      request.gusto && !reread && !this.overtaken(loaded.events, request.gustoReadAt)
        ? request.gusto
        : await this.readGusto(connectionId, employeeUuid);
    const mapping = request.mapping !== undefined && !reread ? request.mapping : await this.mappingFor(connectionId);
    const snapshot = employee ? snapshotOf(employee) : null;
    const byRefNbr = snapshot && mapping ? await this.acumatica.findEmployeeByRefNbr(connectionId, employeeUuid) : null;
    const byEmail =
      snapshot && mapping && !byRefNbr
        ? await this.findByEmail(connectionId, [snapshot.email, snapshot.alternateEmail])
        : null;
    const now = this.clock.now();
    const decision = decideSync(loaded.state, {
      connectionId,
      employeeUuid,
      trigger: request.trigger,
      eventType: request.eventType,
      sourceEventId: request.sourceEventId,
      gusto: snapshot,
      mapping,
      acumatica: { byRefNbr, byEmail },
      now,
    });
    if (isRefused(decision)) throw new Error(`employee ${employeeUuid}: ${decision.error}`);

    const events = [...decision.events];
    let wrote = false;
    if (decision.write) {
      try {
        const saved = await this.acumatica.putEmployee(connectionId, decision.write.body);
        wrote = true;
        const recorded = recordWrite(fold(events, loaded.state), decision.write, saved);
        if (isRefused(recorded)) throw new Error(`employee ${employeeUuid}: ${recorded.error}`);
        events.push(...recorded.events);
      } catch (error) {
        if (!isRejection(error)) {
          // Keep what was observed (the audit shows the attempt's input); the caller's retry does the rest.
          if (!(await this.append(loaded, events, request, now))) return RETRY;
          throw error;
        }
        const message = [error.message, ...error.details].filter(Boolean).join('; ');
        events.push(...recordRejection(fold(events, loaded.state), message).events);
      }
    }
    const after = await this.append(loaded, events, request, now);
    if (!after) return RETRY;
    const state = after.state;
    if (events.length > 0) {
      this.logger.info('employee mirrored', {
        connectionId,
        employeeUuid,
        events: events.map((e) => e.type),
        wrote,
        blocked: state.blocked?.code,
      });
    }
    return { employeeUuid, wrote, appended: events.map((e) => e.type), blocked: state.blocked };
  }

  /**
   * The poll's copy of an employee is as old as its list call; a webhook-driven sync that recorded
   * something since may have seen a newer Gusto state, and the older copy must not undo it.
   */
  private overtaken(events: readonly StreamEvent[], readAt: Date | undefined): boolean {
    const last = events[events.length - 1];
    if (!last || !readAt) return false;
    const at = typeof last.metadata.at === 'string' ? last.metadata.at : last.recordedAt;
    return at !== undefined && Date.parse(at) >= readAt.getTime();
  }

  /** A record keyed in by hand before the connector may carry the work or the personal address. */
  private async findByEmail(connectionId: string, emails: Array<string | null>): Promise<AcumaticaEmployee | null> {
    for (const email of emails) {
      if (!email) continue;
      const found = await this.acumatica.findEmployeeByEmail(connectionId, email);
      if (found) return found;
    }
    return null;
  }

  private async readGusto(connectionId: string, employeeUuid: string): Promise<GustoEmployee | null> {
    try {
      return await this.gusto.getEmployee(connectionId, employeeUuid);
    } catch (error) {
      if (error instanceof GustoApiError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /** The stream after the append, or null when another writer got there first. */
  private append(
    loaded: Loaded<EmployeeMirrorState>,
    events: EmployeeMirrorEvent[],
    request: SyncRequest,
    now: Date,
  ): Promise<Loaded<EmployeeMirrorState> | null> {
    const metadata: EventMetadata = {
      correlationId: request.correlationId ?? request.sourceEventId,
      causationId: request.sourceEventId,
      actor: request.requestedBy?.id ?? (request.trigger === 'manual' ? 'operator' : request.trigger),
      ...(request.requestedBy?.name ? { actorName: request.requestedBy.name } : {}),
      at: now.toISOString(),
      // The audit API filters by connection; the stream name carries it too, but not as a field.
      connectionId: request.connectionId,
      employeeUuid: request.employeeUuid,
    };
    return this.mirrors.append(loaded, events, metadata);
  }
}
