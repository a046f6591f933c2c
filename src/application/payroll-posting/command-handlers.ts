import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  isReprocessable,
  replayPosting,
  requestPosting,
  requestReprocessing,
  type PostingError,
} from '../../domain/payroll-posting/decide';
import { requestReversal, type GustoPayrollShows } from '../../domain/payroll-posting/decide-reversal';
import { postingId, postingStream, type PostingTrigger } from '../../domain/payroll-posting/events';
import { statusOf, type PostingStatus } from '../../domain/payroll-posting/state';
import { CONNECTIONS, type Connections } from '../ports/connections.port';
import { GUSTO, GustoApiError, type GustoApi } from '../ports/gusto.port';
import {
  PostReversalPayrollsCommand,
  ReplayPostingCommand,
  RequestPostingCommand,
  RequestReversalCommand,
} from './commands';
import { PostingSaga, type Cause } from './posting-saga';
import type { ConflictError } from '../shared/command-handler';

/** What a posting command answers: the posting and its status now, or a named error. */
export type PostingCommandResult =
  | { ok: true; postingId: string; status: PostingStatus; changed: boolean }
  | { ok: false; postingId: string; error: PostingError | ConflictError; current?: bigint | 'no_stream' };

const actorOf = (trigger: PostingTrigger): string =>
  trigger === 'manual' || trigger === 'replay' ? 'operator' : trigger;

const causeOf = (trigger: PostingTrigger, sourceEventId?: string, correlationId?: string): Cause => ({
  actor: actorOf(trigger),
  causationId: sourceEventId,
  correlationId: correlationId ?? sourceEventId,
});

async function executeOn(
  saga: PostingSaga,
  connectionId: string,
  payrollUuid: string,
  decide: Parameters<PostingSaga['execute']>[1],
  cause: Cause,
  ifRevision?: bigint,
): Promise<PostingCommandResult> {
  const id = postingId(connectionId, payrollUuid);
  const outcome = await saga.execute(postingStream(connectionId, payrollUuid), decide, cause, ifRevision);
  if ('error' in outcome)
    return {
      ok: false,
      postingId: id,
      error: outcome.error,
      ...(outcome.current !== undefined ? { current: outcome.current } : {}),
    };
  return { ok: true, postingId: id, status: statusOf(outcome.state), changed: outcome.appended.length > 0 };
}

/**
 * Records the request durably and returns; the pipeline runs in the background (webhooks answer fast).
 * A request for a posting that was cancelled or reversed re-reads the payroll from Gusto, and when Gusto
 * shows it processed again a new generation starts (issue 14). Only then is Gusto asked: repeats for a
 * live posting (duplicate webhooks, every poll) cost no Gusto call.
 */
@CommandHandler(RequestPostingCommand)
export class RequestPostingHandler implements ICommandHandler<RequestPostingCommand, PostingCommandResult> {
  constructor(
    private readonly saga: PostingSaga,
    @Optional() @Inject(GUSTO) private readonly gusto?: GustoApi,
  ) {}

  async execute(cmd: RequestPostingCommand): Promise<PostingCommandResult> {
    const cause = {
      ...causeOf(cmd.trigger, cmd.sourceEventId, cmd.correlationId),
      ...(cmd.requestedBy ? { actor: cmd.requestedBy.id, actorName: cmd.requestedBy.name } : {}),
    };
    const id = postingId(cmd.connectionId, cmd.payrollUuid);
    const stream = postingStream(cmd.connectionId, cmd.payrollUuid);
    const first = await this.saga.execute(stream, (s) => requestPosting(s, cmd), cause);
    if ('error' in first) return { ok: false, postingId: id, error: first.error };
    if (first.appended.length > 0 || !this.gusto || !isReprocessable(first.state)) {
      return { ok: true, postingId: id, status: statusOf(first.state), changed: first.appended.length > 0 };
    }
    const shown = await gustoShows(this.gusto, cmd.connectionId, cmd.payrollUuid);
    return executeOn(
      this.saga,
      cmd.connectionId,
      cmd.payrollUuid,
      (s) =>
        requestReprocessing(s, {
          trigger: cmd.trigger,
          sourceEventId: cmd.sourceEventId,
          gustoShows: shown.gustoShows,
        }),
      cause,
    );
  }
}

/**
 * payroll.cancelled names a payroll; Gusto says whether it is cancelled. The payroll is re-read first
 * (a Gusto error fails the command, and the inbox retries it), and the decider acts on Gusto's answer.
 */
@CommandHandler(RequestReversalCommand)
export class RequestReversalHandler implements ICommandHandler<RequestReversalCommand, PostingCommandResult> {
  constructor(
    private readonly saga: PostingSaga,
    @Inject(GUSTO) private readonly gusto: GustoApi,
  ) {}

  async execute(cmd: RequestReversalCommand): Promise<PostingCommandResult> {
    const shown = await gustoShows(this.gusto, cmd.connectionId, cmd.payrollUuid);
    return executeOn(
      this.saga,
      cmd.connectionId,
      cmd.payrollUuid,
      (s) => requestReversal(s, { ...cmd, ...shown }),
      causeOf(cmd.trigger, cmd.sourceEventId, cmd.correlationId),
    );
  }
}

async function gustoShows(
  gusto: GustoApi,
  connectionId: string,
  payrollUuid: string,
): Promise<{ gustoShows: GustoPayrollShows; processedDate?: string | null }> {
  try {
    const payroll = await gusto.getPayroll(connectionId, payrollUuid);
    return payroll.processed === true
      ? { gustoShows: 'processed', processedDate: payroll.processed_date ?? null }
      : { gustoShows: 'unprocessed' };
  } catch (error) {
    if (error instanceof GustoApiError && error.kind === 'not_found') return { gustoShows: 'not_found' };
    throw error;
  }
}

@CommandHandler(ReplayPostingCommand)
export class ReplayPostingHandler implements ICommandHandler<ReplayPostingCommand, PostingCommandResult> {
  constructor(
    private readonly saga: PostingSaga,
    @Inject(CONNECTIONS) private readonly connections: Connections,
  ) {}

  async execute(cmd: ReplayPostingCommand): Promise<PostingCommandResult> {
    // The version in force when the operator asked: the audit trail shows which fix the replay followed.
    const mapping = await this.connections.getMapping(cmd.connectionId).catch(() => null);
    return executeOn(
      this.saga,
      cmd.connectionId,
      cmd.payrollUuid,
      (s) => replayPosting(s, { mappingVersion: mapping?.version, requestedBy: cmd.requestedBy }),
      {
        actor: cmd.requestedBy,
        ...(cmd.requestedByName ? { actorName: cmd.requestedByName } : {}),
        correlationId: cmd.correlationId,
      },
      cmd.ifRevision,
    );
  }
}

/** payroll.reversed / partially_reversed: each reversal payroll Gusto lists is posted like any payroll. */
@CommandHandler(PostReversalPayrollsCommand)
export class PostReversalPayrollsHandler implements ICommandHandler<
  PostReversalPayrollsCommand,
  PostingCommandResult[]
> {
  constructor(
    private readonly saga: PostingSaga,
    @Inject(GUSTO) private readonly gusto: GustoApi,
  ) {}

  async execute(cmd: PostReversalPayrollsCommand): Promise<PostingCommandResult[]> {
    const payroll = await this.gusto.getPayroll(cmd.connectionId, cmd.payrollUuid);
    // Absent (not empty) means Gusto was not asked for it (include=reversals): failing loudly lets the
    // inbox record and retry the event instead of silently posting nothing.
    if (payroll.reversal_payroll_uuids === undefined) {
      throw new Error(
        `payroll ${cmd.payrollUuid}: Gusto's answer has no reversal_payroll_uuids (was include=reversals sent?)`,
      );
    }
    const results: PostingCommandResult[] = [];
    for (const reversalUuid of payroll.reversal_payroll_uuids) {
      const request = new RequestPostingCommand(
        cmd.connectionId,
        reversalUuid,
        cmd.sourceEventId ? 'webhook' : 'manual',
        cmd.sourceEventId,
        cmd.correlationId,
      );
      results.push(
        await executeOn(
          this.saga,
          cmd.connectionId,
          reversalUuid,
          (s) => requestPosting(s, request),
          causeOf(request.trigger, cmd.sourceEventId, cmd.correlationId),
        ),
      );
    }
    return results;
  }
}

export const POSTING_COMMAND_HANDLERS = [
  RequestPostingHandler,
  RequestReversalHandler,
  ReplayPostingHandler,
  PostReversalPayrollsHandler,
];
