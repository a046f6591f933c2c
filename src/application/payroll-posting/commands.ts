/** Commands of the posting pipeline (handled by @CommandHandlers in this folder). */
import type { PostingTrigger } from '../../domain/payroll-posting/events';

export type { PostingTrigger };

/** A processed payroll should be in the ledger (payroll.processed, payroll.reversed's reversal payroll, the poll). */
export class RequestPostingCommand {
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

/** A payroll was cancelled in Gusto: reverse its journal if one was posted. */
export class RequestReversalCommand {
  constructor(
    readonly connectionId: string,
    readonly payrollUuid: string,
    readonly trigger: PostingTrigger,
    readonly sourceEventId?: string,
    readonly correlationId?: string,
  ) {}
}

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
  ) {}
}
