import type { CreateStep, PayrollPostingEvent } from './events';
import type { RunState } from './state';
import { required } from '../shared/required';

/**
 * The create claim: exactly once whatever Acumatica's licence queue does.
 *
 * Acumatica may hold a request in its licence queue for up to the queue limit (ACUMATICA_QUEUE_LIMIT_S,
 * 10 minutes on a real tenant) and then carry it out; a lookup meanwhile finds nothing. So a create, once
 * sent, is never repeated — by any instance, after any crash — until the queue limit has passed since it
 * was sent, unless a lookup finds its journal first:
 * - the claim (JournalCreationStarted) is appended before the create and says when it is sent (`sentAt`,
 *   at the latest `sendBy`: the client refuses to send later) and until when it may commit
 *   (`mayCommitUntil` = sendBy + queue limit). It cannot lapse before then;
 * - a definitive refusal (Acumatica answered 4xx / 422 / 429, or the create was never sent) ends the claim
 *   at once; an ambiguous outcome (timeout, reset, 5xx, crash) leaves it standing;
 * - under a live claim a run only looks the journal up: at once after a crash or a lost answer, then every
 *   min(remaining, CLAIM_CHECK_EVERY_MS), recording each miss (QueuedCreateAwaited). A lookup that finds the
 *   journal ends the wait; once mayCommitUntil has passed, a lookup that finds nothing claims and creates.
 */

/** Lookups under a live claim are never further apart than this. */
export const CLAIM_CHECK_EVERY_MS = 60_000;

export interface ClaimTerms {
  /** The longest Acumatica may hold a request before carrying it out (ACUMATICA_QUEUE_LIMIT_S, in ms). */
  queueLimitMs: number;
  /** The create leaves within this long after the claim, or not at all (the client checks `sendBy`). */
  sendWindowMs: number;
}

/**
 * Room between the claim and the send (the append, a wait for a free Acumatica slot, a sign-in): 1/20 of the
 * queue limit, between 2 s and 30 s. A create that cannot leave in time is not sent (and retried).
 */
export const sendWindowFor = (queueLimitMs: number): number =>
  Math.min(30_000, Math.max(2_000, Math.round(queueLimitMs / 20)));

/** What the state keeps of a claim beyond `claimedUntil` (= mayCommitUntil, or a legacy lease's end). */
export interface CreateClaim {
  claimant: string;
  /** Absent for a claim written before the queue limit existed: then it is a plain lease (wait it out). */
  sentAt?: string;
  sendBy?: string;
  /** When the next lookup under this claim is due; absent: at once. */
  checkDueAt?: string;
  /** The last lookup that found nothing under this claim. */
  lastCheckedAt?: string;
  /** Lookups that found nothing under this claim. */
  checks: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const earlier = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);

/** True while a create claimed on this run may still commit: nobody may create. */
export const claimIsLive = (run: RunState, now: Date): boolean =>
  !!run.claimedUntil && Date.parse(run.claimedUntil) > now.getTime();

/** The claim appended before a create sent `now`. */
export function claimEvent(step: CreateStep, now: Date, claimant: string, terms: ClaimTerms): PayrollPostingEvent {
  const sendBy = now.getTime() + Math.max(0, terms.sendWindowMs);
  const mayCommitUntil = iso(sendBy + Math.max(0, terms.queueLimitMs));
  return {
    type: 'JournalCreationStarted',
    data: {
      step,
      claimant,
      sentAt: now.toISOString(),
      sendBy: iso(sendBy),
      mayCommitUntil,
      leaseUntil: mayCommitUntil,
    },
  };
}

/**
 * A lookup found no journal. With a live claim the create may still be queued: record the miss and when
 * to look again. Without one, claim and create.
 */
export function onJournalAbsent(
  run: RunState,
  step: CreateStep,
  now: Date,
  claimant: string,
  terms: ClaimTerms,
): PayrollPostingEvent {
  return claimIsLive(run, now) ? queuedCreateAwaited(run, step, now) : claimEvent(step, now, claimant, terms);
}

/** A lookup under the live claim of `run` found nothing: look again in min(remaining, CLAIM_CHECK_EVERY_MS). */
export function queuedCreateAwaited(run: RunState, step: CreateStep, now: Date): PayrollPostingEvent {
  const until = required(run.claimedUntil, "the live claim's deadline");
  return {
    type: 'QueuedCreateAwaited',
    data: {
      step,
      checkedAt: now.toISOString(),
      until,
      nextCheckAt: earlier(iso(now.getTime() + CLAIM_CHECK_EVERY_MS), until),
    },
  };
}

type ClaimFields = Pick<RunState, 'claimedUntil' | 'claim'>;

/** evolve: a claim was appended. */
export function claimed(data: Extract<PayrollPostingEvent, { type: 'JournalCreationStarted' }>['data']): ClaimFields {
  const until = data.mayCommitUntil ?? data.leaseUntil;
  // The lookup just before the claim counts as the first: the next one is due a check period later.
  const checkDueAt = data.sentAt ? earlier(iso(Date.parse(data.sentAt) + CLAIM_CHECK_EVERY_MS), until) : undefined;
  return {
    claimedUntil: until,
    claim: { claimant: data.claimant, sentAt: data.sentAt, sendBy: data.sendBy, checkDueAt, checks: 0 },
  };
}

/** evolve: a lookup under the claim found nothing. */
export function awaited<T extends RunState>(
  run: T,
  data: Extract<PayrollPostingEvent, { type: 'QueuedCreateAwaited' }>['data'],
): T {
  const claim: CreateClaim = {
    ...(run.claim ?? { claimant: '', sentAt: undefined }),
    checkDueAt: data.nextCheckAt,
    lastCheckedAt: data.checkedAt,
    checks: (run.claim?.checks ?? 0) + 1,
  };
  // The wait replaces the retry: the next attempt is the next lookup.
  return { ...run, claimedUntil: run.claimedUntil ?? data.until, claim, nextAttemptAt: undefined };
}

/** evolve: a step of this run failed. Only a definitively refused create ends the claim. */
export function afterFailure(
  run: RunState,
  step: string,
  outcome: 'refused' | 'unknown' | undefined,
  nextAttemptAt: string | undefined,
): ClaimFields {
  if (step !== 'create_journal' && step !== 'create_reversal')
    return { claimedUntil: run.claimedUntil, claim: run.claim };
  if (outcome !== 'unknown' || !run.claimedUntil) return { claimedUntil: undefined, claim: undefined };
  // The create may still commit: the claim stands, and the retry starts with a lookup.
  return { claimedUntil: run.claimedUntil, claim: run.claim ? { ...run.claim, checkDueAt: nextAttemptAt } : undefined };
}

/** What a posting (or its reversal) is waiting for, for the view. */
export type Waiting =
  | { for: 'queued_create'; until: string; since?: string; nextCheckAt?: string; checks?: number }
  | { for: 'retry'; until: string };

export function waitingOf(run: RunState): Waiting | undefined {
  if (run.blocked) return undefined;
  if (run.claimedUntil) {
    const c = run.claim;
    return {
      for: 'queued_create',
      until: run.claimedUntil,
      ...(c?.sentAt ? { since: c.sentAt } : {}),
      ...(c?.checkDueAt || run.nextAttemptAt ? { nextCheckAt: c?.checkDueAt ?? run.nextAttemptAt } : {}),
      ...(c?.checks ? { checks: c.checks } : {}),
    };
  }
  if (run.nextAttemptAt) return { for: 'retry', until: run.nextAttemptAt };
  return undefined;
}
