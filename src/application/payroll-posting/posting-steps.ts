import { randomUUID } from 'node:crypto';
import type { Journal } from '../../domain/journal/journal';
import { reverseJournal } from '../../domain/journal/reverse-journal';
import type { AcumaticaBatch, PostingStep } from '../../domain/payroll-posting/events';
import type { ClaimTerms } from '../../domain/payroll-posting/create-claim';
import {
  recordAttemptFailed,
  recordJournalAbsent,
  recordJournalInAcumatica,
  recordJournalReleased,
  recordPayrollRead,
  type Decision,
} from '../../domain/payroll-posting/decide';
import {
  recordReversalAbsent,
  recordOriginalAbsent,
  recordReversalBuilt,
  recordReversalInAcumatica,
  recordReversalReleased,
} from '../../domain/payroll-posting/decide-reversal';
import { isReleasedStatus } from '../../domain/payroll-posting/decide';
import type { PostingWork } from '../../domain/payroll-posting/next-step';
import { REVERSAL_STEPS } from '../../domain/payroll-posting/events';
import type { PayrollPosting } from '../../domain/payroll-posting/state';
import { isRefused, refuse } from '../../domain/shared/decision';
import type { AcumaticaApi, AcumaticaJournalRef } from '../ports/acumatica.port';
import type { Clock } from '../ports/clock.port';
import type { Connections } from '../ports/connections.port';
import type { GustoApi } from '../ports/gusto.port';
import { classifyFailure } from './block-reasons';
import { buildWithCurrentMapping } from './current-mapping';
import { payrollFacts } from './payroll-facts';
import { nextAttemptAt, type RetrySettings } from './retry-policy';
import { required } from '../../domain/shared/required';

export interface StepDeps {
  gusto: GustoApi;
  acumatica: AcumaticaApi;
  connections: Connections;
  clock: Clock;
  retry: RetrySettings;
  /** The queue limit and send window every create claim is made with (domain/payroll-posting/create-claim.ts). */
  claimTerms: ClaimTerms;
  /**
   * Appends a claim at once (before the create) and answers the state after it, or null when another
   * writer got there first (then this run must not create).
   */
  claim: (decision: Decision) => Promise<PayrollPosting | null>;
  random?: () => number;
}

/** A step failed at `step`: the error, not yet classified. */
class StepFailure {
  constructor(
    readonly step: PostingStep,
    readonly cause: unknown,
  ) {}
}

const attempt = async <T>(step: PostingStep, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw new StepFailure(step, error);
  }
};

const batchOf = (ref: AcumaticaJournalRef): AcumaticaBatch => ({ batchNbr: ref.batchNbr, status: ref.status });

/**
 * Does one unit of work's outside calls and asks the decider what they mean. It appends nothing itself
 * except, through `deps.claim`, the create claim that must be in the log before a create; the outcome is
 * returned for the saga to append. A failing call becomes an AttemptFailed decision (with back-off).
 */
export async function performStep(work: PostingWork, initial: PayrollPosting, deps: StepDeps): Promise<Decision> {
  // After a claim the outcome (success or failure) is decided on the state that includes the claim.
  let state = initial;
  const tracked: StepDeps = {
    ...deps,
    claim: async (decision) => {
      const after = await deps.claim(decision);
      if (after) state = after;
      return after;
    },
  };
  try {
    return await perform(work, initial, tracked);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    const failure = classifyFailure(error.cause);
    const run = REVERSAL_STEPS.has(error.step) && state.reversal ? state.reversal : state;
    const at = failure.retryable
      ? nextAttemptAt(deps.clock.now(), run.failures + 1, deps.retry, deps.random, failure.retryAfterMs)
      : undefined;
    return recordAttemptFailed(
      state,
      {
        step: error.step,
        error: failure.error,
        errorKind: failure.errorKind,
        retryable: failure.retryable,
        nextAttemptAt: at,
        reason: failure.reason,
        refused: failure.refused,
      },
      { maxAttempts: deps.retry.maxAttempts },
    );
  }
}

async function perform(work: PostingWork, state: PayrollPosting, deps: StepDeps): Promise<Decision> {
  const connectionId = required(state.connectionId, "the posting's connection");
  const payrollUuid = required(state.payrollUuid, "the posting's payroll");
  const { acumatica } = deps;
  switch (work) {
    case 'build': {
      const payroll = await attempt('fetch_payroll', () => deps.gusto.getPayroll(connectionId, payrollUuid));
      const outcome = await attempt('build_journal', () =>
        buildWithCurrentMapping(deps.connections, connectionId, payroll),
      );
      return recordPayrollRead(state, payrollFacts(payroll), outcome);
    }
    case 'post':
    case 'check_original': {
      const journal = required(state.journal, 'the journal to post');
      const lookupStep = work === 'post' ? 'find_journal' : 'check_original';
      // Always look before creating: a create whose response was lost has committed, and is found here.
      const found = await attempt(lookupStep, () => acumatica.findJournalByTag(connectionId, journal.tag));
      if (found) return recordJournalInAcumatica(state, batchOf(found), true);
      if (work === 'check_original') return recordOriginalAbsent(state, deps.clock.now());
      const absent = recordJournalAbsent(state, deps.clock.now(), randomUUID(), deps.claimTerms);
      return createUnderClaim(deps, absent, 'create_journal', connectionId, journal, (claimed, batch) =>
        recordJournalInAcumatica(claimed, batch, false),
      );
    }
    case 'release':
      return recordJournalReleased(
        state,
        await release(
          deps,
          connectionId,
          required(state.batchNbr, 'the batch to release'),
          required(state.journal, 'the journal to release').tag,
          'release_journal',
        ),
      );
    case 'build_reversal':
      return recordReversalBuilt(state, reverseJournal(required(state.journal, 'the journal to reverse'), payrollUuid));
    case 'post_reversal': {
      const journal = required(state.reversal?.journal, 'the reversal journal to post');
      const found = await attempt('find_reversal', () => acumatica.findJournalByTag(connectionId, journal.tag));
      if (found) return recordReversalInAcumatica(state, batchOf(found), true);
      const absent = recordReversalAbsent(state, deps.clock.now(), randomUUID(), deps.claimTerms);
      return createUnderClaim(deps, absent, 'create_reversal', connectionId, journal, (claimed, batch) =>
        recordReversalInAcumatica(claimed, batch, false),
      );
    }
    case 'release_reversal':
      return recordReversalReleased(
        state,
        await release(
          deps,
          connectionId,
          required(state.reversal?.batchNbr, 'the reversal batch to release'),
          required(state.reversal?.journal, 'the reversal journal to release').tag,
          'release_reversal',
        ),
      );
    default: {
      const unknown: never = work;
      return unknown;
    }
  }
}

/**
 * The lookup found nothing: claim and create, or (a create may still be queued) record the miss and wait.
 * The claim is in the log before the create is sent; the create's answer is decided on the state after the claim.
 */
async function createUnderClaim(
  deps: StepDeps,
  absent: Decision,
  step: 'create_journal' | 'create_reversal',
  connectionId: string,
  journal: Journal,
  record: (claimed: PayrollPosting, batch: AcumaticaBatch) => Decision,
): Promise<Decision> {
  const sendBy = claimSendBy(absent);
  if (!sendBy) return absent;
  const claimed = await deps.claim(absent);
  if (!claimed) return refuse('not_at_this_step');
  const created = await attempt(step, () => deps.acumatica.createJournal(connectionId, journal, { sendBy }));
  return record(claimed, batchOf(created));
}

/** When the decision is a create claim: the instant the create must leave by. */
function claimSendBy(decision: Decision): Date | null {
  if (isRefused(decision)) return null;
  const claim = decision.events.find((e) => e.type === 'JournalCreationStarted');
  return claim?.type === 'JournalCreationStarted' && claim.data.sendBy ? new Date(claim.data.sendBy) : null;
}

/**
 * Releases a batch. If the release fails, the batch may have been released by an earlier attempt whose
 * answer was lost: look it up, and take "already released" as success rather than as an error.
 */
async function release(
  deps: StepDeps,
  connectionId: string,
  batchNbr: string,
  tag: string,
  step: PostingStep,
): Promise<AcumaticaBatch> {
  try {
    return batchOf(await deps.acumatica.releaseJournal(connectionId, batchNbr));
  } catch (error) {
    const found = await deps.acumatica.findJournalByTag(connectionId, tag).catch(() => null);
    if (found && isReleasedStatus(found.status)) return batchOf(found);
    throw new StepFailure(step, error);
  }
}
