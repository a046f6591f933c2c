/** Commands of the posting pipeline (handled by @CommandHandlers in this folder). */
import type { PostingTrigger } from '../../domain/payroll-posting/events';

export type { PostingTrigger };

/** What Gusto told about one payroll, and what caused it (each command below has its own handler). */
abstract class PayrollCommand {
  constructor(
    readonly connectionId: string,
    readonly payrollUuid: string,
    readonly trigger: PostingTrigger,
    /** The inbox event (Gusto event uuid) or request that caused this. */
    readonly sourceEventId?: string,
    readonly correlationId?: string,
    /** An API caller behind the trigger (POST …/sync): recorded as the actor instead of the trigger. */
    readonly requestedBy?: { id: string; name?: string },
  ) {}
}

/** A processed payroll should be in the ledger (payroll.processed, payroll.reversed's reversal payroll, the poll). */
export class RequestPostingCommand extends PayrollCommand {}

/** A payroll was cancelled in Gusto: reverse its journal if one was posted. */
export class RequestReversalCommand extends PayrollCommand {}

/** payroll.reversed / payroll.partially_reversed: find the reversal payroll(s) of this payroll and post them. */
export class PostReversalPayrollsCommand {
  constructor(
    readonly connectionId: string,
    readonly payrollUuid: string,
    readonly sourceEventId?: string,
    readonly correlationId?: string,
  ) {}
}

/** An operator re-runs a posting after fixing its cause (POST /api/postings/:id/replay). */
export class ReplayPostingCommand {
  constructor(
    readonly connectionId: string,
    readonly payrollUuid: string,
    /** Who asked (for the audit trail): 'operator' unless known better. */
    readonly requestedBy: string = 'operator',
    readonly correlationId?: string,
    /** The key's name beside `requestedBy` in the metadata (`actorName`). */
    readonly requestedByName?: string,
    /** The posting stream's revision the operator saw (If-Match): replayed only if it has not moved since. */
    readonly ifRevision?: bigint,
  ) {}
}
