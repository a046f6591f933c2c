import { createHash, randomUUID } from 'node:crypto';
import { buildJournal } from '../../domain/journal/build-journal';
import type { Journal } from '../../domain/journal/journal';
import { reverseJournal } from '../../domain/journal/reverse-journal';
import { parseMapping } from '../../domain/mapping/parse-mapping';
import type { GustoPayroll } from '../../domain/payroll/gusto-payroll';
import type { AcumaticaBatch, PayrollFacts, PostingStep } from '../../domain/payroll-posting/events';
import type { ClaimTerms } from '../../domain/payroll-posting/create-claim';
import {
  recordAttemptFailed,
  recordJournalAbsent,
  recordJournalInAcumatica,
  recordJournalReleased,
  recordPayrollRead,
  type BuildOutcome,
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
import { classifyFailure, invalidMapping, noMapping, reasonsFromBuild } from './block-reasons';
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

/** sha256 over canonical JSON (sorted keys), so the same payroll always hashes the same. */
export function contentHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/**
 * A copy with every object's keys inserted in sorted order. Byte-for-byte the JSON of the earlier
 * `Object.fromEntries(keys.sort().map(…))` form (stored hashes stay valid), without its per-object entry
 * arrays: ~1.7× faster on a 25-employee payroll. `__proto__` is defined as an own key, as fromEntries did.
 */
function canonical(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = canonical(v[i]);
    return out;
  }
  const source = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: canonical(source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = canonical(source[key]);
  }
  return out;
}

export function payrollFacts(payroll: GustoPayroll): PayrollFacts {
  const totals = Object.fromEntries(Object.entries(payroll.totals ?? {}).map(([k, v]) => [k, String(v)]));
  // Not in the port's type yet: recorded when the Gusto client attaches it (asked of the lead).
  const pages = (payroll as GustoPayroll & { compensationPages?: number }).compensationPages;
  return {
    contentHash: contentHash(payroll),
    checkDate: payroll.check_date,
    payPeriod: payroll.pay_period
      ? { startDate: payroll.pay_period.start_date, endDate: payroll.pay_period.end_date }
      : undefined,
    offCycle: payroll.off_cycle,
    totals,
    employees: payroll.employee_compensations.length,
    ...(typeof pages === 'number' ? { compensationPages: pages } : {}),
    ...(payroll.reversal_payroll_uuids?.length ? { reversalPayrollUuids: payroll.reversal_payroll_uuids } : {}),
  };
}

/**
 * parseMapping is pure (class-validator over the document: ~0.2 ms a posting) and the connections read model
 * hands out the same document object until a new mapping is accepted: parse each document once. Keyed by the
 * object itself, so a new mapping is a new key and an old one is collected with it.
 */
const parsedMappings = new WeakMap<object, ReturnType<typeof parseMapping>>();
function parseStoredMapping(document: unknown): ReturnType<typeof parseMapping> {
  if (typeof document !== 'object' || document === null) return parseMapping(document);
  let parsed = parsedMappings.get(document);
  if (!parsed) {
    parsed = parseMapping(document);
    parsedMappings.set(document, parsed);
  }
  return parsed;
}

/** The current mapping applied to a payroll: the journal, or why it cannot be built. Shared with the preview. */
export async function buildWithCurrentMapping(
  connections: Connections,
  connectionId: string,
  payroll: GustoPayroll,
): Promise<BuildOutcome> {
  const stored = await connections.getMapping(connectionId);
  if (!stored) return { ok: false, reasons: [noMapping()] };
  const parsed = parseStoredMapping(stored.document);
  if (!parsed.ok) return { ok: false, reasons: [invalidMapping(parsed.errors)] };
  const built = buildJournal(payroll, parsed.mapping, { mappingVersion: stored.version });
  if (!built.ok) return { ok: false, reasons: reasonsFromBuild(built.errors) };
  return { ok: true, journal: built.journal, mappingVersion: stored.version };
}

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
