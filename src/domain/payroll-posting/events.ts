import type { Journal } from '../journal/journal';
import { eventTypes, isEventOf } from '../shared/event-types';

/**
 * The PayrollPosting stream (`payroll-posting-<connectionId>-<payrollUuid>`): the story an auditor reads,
 * in the past tense, from "we were asked to post this payroll" to "batch 000123 is in the ledger".
 * Times live in the event metadata (`at`); the data holds only what the business decided or learned.
 */
export type PostingTrigger = 'webhook' | 'poll' | 'manual' | 'replay';

/**
 * The steps of the pipeline, as named in AttemptFailed / PostingBlocked. Fetch and build share one append
 * because the payroll is not stored in the log (only its hash), so a crash between them must re-fetch anyway.
 */
export type PostingStep =
  | 'fetch_payroll'
  | 'build_journal'
  | 'find_journal'
  | 'create_journal'
  | 'release_journal'
  | 'check_original'
  | 'build_reversal'
  | 'find_reversal'
  | 'create_reversal'
  | 'release_reversal';

/** The steps that send a create to Acumatica: the only ones a claim covers. */
export type CreateStep = 'create_journal' | 'create_reversal';
export const isCreateStep = (step: PostingStep): step is CreateStep =>
  step === 'create_journal' || step === 'create_reversal';

/** Steps that belong to undoing a payroll: their failures count against the reversal, not the posting. */
export const REVERSAL_STEPS: ReadonlySet<PostingStep> = new Set<PostingStep>([
  'check_original',
  'build_reversal',
  'find_reversal',
  'create_reversal',
  'release_reversal',
]);

/** Why a posting stopped and waits for a person (needs_attention). Each carries words an accountant understands. */
export type BlockCode =
  | 'unmapped_component' // a pay component's mapping key has no account
  | 'invalid_mapping' // the stored mapping document no longer parses
  | 'no_mapping' // the connection has no account mapping yet
  | 'totals_mismatch' // Gusto's own totals disagree with the sum of its lines
  | 'unbalanced_journal' // debits ≠ credits after mapping
  | 'invalid_payroll' // the payroll could not be read (malformed amounts, not processed)
  | 'inactive_account' // Acumatica rejected an inactive or unknown account/subaccount
  | 'closed_period' // the check date falls in a closed or missing financial period
  | 'bad_credentials' // Acumatica rejected the connector's credentials
  | 'endpoint_version' // the Acumatica endpoint version is not offered by the instance
  | 'gusto_not_connected' // the connection has no Gusto authorization
  | 'gusto_reauthorization_needed' // Gusto refused the refresh token: someone must authorize again
  | 'payroll_not_found' // Gusto does not know this payroll
  | 'rejected_by_acumatica' // any other business rule Acumatica named
  | 'retries_exhausted'; // a transient problem lasted through every retry

export interface BlockReason {
  code: BlockCode;
  /** One sentence for the accountant: what is wrong and what to do. */
  message: string;
  /** The mapping keys, accounts or fields concerned, when there are any. */
  keys?: string[];
  /** The outside system's own words, kept verbatim for support. */
  details?: string[];
}

/** A processed payroll's figures as read from Gusto, kept so an auditor can see what the journal was built from. */
export interface PayrollFacts {
  /** sha256 of the payroll as read (canonical JSON): a later replay shows whether Gusto's data changed. */
  contentHash: string;
  checkDate: string;
  payPeriod?: { startDate: string | null; endDate: string | null };
  offCycle: boolean;
  /** Gusto's `totals` block, verbatim (decimal strings). */
  totals: Record<string, string>;
  employees: number;
  /** How many pages of employee_compensations were read, when the Gusto client reports it. */
  compensationPages?: number;
  reversalPayrollUuids?: string[];
}

export interface AcumaticaBatch {
  batchNbr: string;
  /** Acumatica's status at the time: "Balanced", "Unposted", "Posted", … */
  status: string;
}

export type PayrollPostingEvent =
  | {
      type: 'PostingRequested';
      data: { connectionId: string; payrollUuid: string; trigger: PostingTrigger; sourceEventId?: string };
    }
  | { type: 'PayrollFetched'; data: PayrollFacts }
  | { type: 'JournalBuilt'; data: { journal: Journal; mappingVersion: number } }
  | { type: 'PostingBlocked'; data: { step: PostingStep; reasons: BlockReason[] } }
  | {
      /**
       * The lookup found nothing and this run is about to create the journal. Appended (at the revision
       * loaded) before the create, so of two instances racing for one payroll only one gets to create.
       * The claim cannot lapse while the create may still commit: the create is sent at `sentAt` (at the
       * latest by `sendBy`, or not at all) and Acumatica may hold it in its licence queue for up to
       * ACUMATICA_QUEUE_LIMIT_S, so nobody creates again before `mayCommitUntil` unless a lookup finds the
       * journal first (see create-claim.ts). Claims written before the queue limit existed carry only
       * `leaseUntil` (a plain lease); new ones repeat `mayCommitUntil` there.
       */
      type: 'JournalCreationStarted';
      /** `claimant` is unique per run, so two runs' claims never look like one idempotent repeat. */
      data: {
        step: CreateStep;
        leaseUntil: string;
        claimant: string;
        sentAt?: string;
        sendBy?: string;
        mayCommitUntil?: string;
      };
    }
  | {
      /**
       * A lookup under a live claim found no journal: its create may still be in Acumatica's queue until
       * `until` (the claim's mayCommitUntil). Nobody creates before then; the next lookup is at `nextCheckAt`.
       */
      type: 'QueuedCreateAwaited';
      data: { step: CreateStep; checkedAt: string; until: string; nextCheckAt: string };
    }
  | { type: 'ExistingJournalFound'; data: AcumaticaBatch }
  | { type: 'JournalCreated'; data: AcumaticaBatch }
  | { type: 'JournalReleased'; data: AcumaticaBatch }
  | { type: 'PayrollPosted'; data: { batchNbr: string; mappingVersion: number } }
  | {
      type: 'AttemptFailed';
      data: {
        step: PostingStep;
        /** 1-based count of failures of this run (since the request or the last replay). */
        attempt: number;
        retryable: boolean;
        /** ISO 8601: when the scheduler will try again (retryable only). */
        nextAttemptAt?: string;
        error: string;
        /** The port's error kind ('rate_limited', 'unavailable', 'validation', …). */
        errorKind?: string;
        /**
         * For a failed create: `refused` (Acumatica answered no, or it was never sent: the claim ends and the
         * next attempt may create at once) or `unknown` (timeout, reset, 5xx, lost answer: the create may
         * still commit, so the claim stands until its mayCommitUntil). Absent in older logs: refused.
         */
        createOutcome?: 'refused' | 'unknown';
      };
    }
  | { type: 'PostingReplayed'; data: { mappingVersion?: number; requestedBy?: string } }
  | {
      type: 'PostingCancelled';
      data: {
        trigger: PostingTrigger;
        sourceEventId?: string;
        reason: 'cancelled_before_posting';
        /** Set when the cancellation is the first thing we hear of the payroll (the stream starts here). */
        connectionId?: string;
        payrollUuid?: string;
      };
    }
  /**
   * Gusto processed again a payroll whose posting was cancelled or reversed (same uuid): a new generation
   * starts, with its own journal tagged `[gusto:<uuid>/<generation>]` (issue 14).
   */
  | { type: 'PostingReprocessed'; data: { generation: number; trigger: PostingTrigger; sourceEventId?: string } }
  /** A cancellation arrived, but Gusto (re-read) does not show the payroll cancelled: nothing is reversed. */
  | {
      type: 'CancellationContradicted';
      data: {
        trigger: PostingTrigger;
        sourceEventId?: string;
        gustoShows: 'processed' | 'not_found';
        processedDate?: string;
      };
    }
  | { type: 'ReversalRequested'; data: { trigger: PostingTrigger; sourceEventId?: string } }
  | { type: 'ReversalJournalBuilt'; data: { journal: Journal } }
  | { type: 'ReversalJournalFound'; data: AcumaticaBatch }
  | { type: 'ReversalJournalCreated'; data: AcumaticaBatch }
  | { type: 'ReversalJournalReleased'; data: AcumaticaBatch }
  | { type: 'PayrollReversed'; data: { batchNbr: string; originalBatchNbr: string } };

export const POSTING_EVENT_TYPES = eventTypes<PayrollPostingEvent>()([
  'PostingRequested',
  'PayrollFetched',
  'JournalBuilt',
  'PostingBlocked',
  'JournalCreationStarted',
  'QueuedCreateAwaited',
  'ExistingJournalFound',
  'JournalCreated',
  'JournalReleased',
  'PayrollPosted',
  'AttemptFailed',
  'PostingReplayed',
  'PostingCancelled',
  'PostingReprocessed',
  'CancellationContradicted',
  'ReversalRequested',
  'ReversalJournalBuilt',
  'ReversalJournalFound',
  'ReversalJournalCreated',
  'ReversalJournalReleased',
  'PayrollReversed',
]);

export const isPayrollPostingEvent = isEventOf<PayrollPostingEvent>(POSTING_EVENT_TYPES);

export const STREAM_PREFIX = 'payroll-posting-';
export const postingStream = (connectionId: string, payrollUuid: string): string =>
  `${STREAM_PREFIX}${connectionId}-${payrollUuid}`;

/**
 * The posting id in URLs: `<connectionId>:<payrollUuid>`. Readable, reversible without a lookup table, and
 * unambiguous because a payroll uuid never contains ':' (connection ids may contain '-', so the stream name
 * alone could not be split).
 */
export const postingId = (connectionId: string, payrollUuid: string): string => `${connectionId}:${payrollUuid}`;

export const parsePostingId = (id: string): { connectionId: string; payrollUuid: string } | null => {
  const at = id.lastIndexOf(':');
  if (at <= 0 || at === id.length - 1) return null;
  return { connectionId: id.slice(0, at), payrollUuid: id.slice(at + 1) };
};
