import type { Journal } from '../journal/journal';
import { afterFailure, awaited, claimed, type CreateClaim } from './create-claim';
import {
  REVERSAL_STEPS,
  type BlockReason,
  type PayrollFacts,
  type PayrollPostingEvent,
  type PostingStep,
  type PostingTrigger,
} from './events';

/** The status the API shows (spec): `cancelled` is added for a payroll cancelled before it was ever posted. */
export type PostingStatus = 'pending' | 'posted' | 'failed' | 'needs_attention' | 'cancelled';
export type ReversalStatus = 'pending' | 'reversed' | 'failed' | 'needs_attention';

/**
 * Where the pipeline stands. `requested`: the payroll must be (re)read and the journal built. `built`: the
 * journal must be found or created in Acumatica. `created`: it exists but still has to be released.
 */
export type PostingPhase = 'none' | 'requested' | 'built' | 'created' | 'posted' | 'cancelled';
export type ReversalPhase = 'requested' | 'built' | 'created' | 'reversed';

export interface LastError {
  step: PostingStep;
  message: string;
  code?: string;
}

/** Retry bookkeeping, kept separately for the posting and its reversal. */
export interface RunState {
  /** Failures since the request (or the last replay); compared with the retry policy's max attempts. */
  failures: number;
  nextAttemptAt?: string;
  blocked?: BlockReason[];
  lastError?: LastError;
  /** A create is (or was, if its run died) in flight and may commit until then: nobody may create before it. */
  claimedUntil?: string;
  /** The claim behind claimedUntil: when it was sent, when to look again (see create-claim.ts). */
  claim?: CreateClaim;
}

export interface ReversalState extends RunState {
  phase: ReversalPhase;
  trigger: PostingTrigger;
  journal?: Journal;
  batchNbr?: string;
}

export interface PayrollPosting extends RunState {
  phase: PostingPhase;
  connectionId?: string;
  payrollUuid?: string;
  trigger?: PostingTrigger;
  /** Every attempt the pipeline has made: 1 for the request, +1 per retry and per replay. */
  attempts: number;
  payroll?: PayrollFacts;
  journal?: Journal;
  mappingVersion?: number;
  batchNbr?: string;
  acumaticaStatus?: string;
  released: boolean;
  reversal?: ReversalState;
  /** 2, 3, … after Gusto processed the payroll again (PostingReprocessed); absent for the first. */
  generation?: number;
}

export const initialState: PayrollPosting = { phase: 'none', attempts: 0, failures: 0, released: false };

const freshRun: RunState = {
  failures: 0,
  nextAttemptAt: undefined,
  blocked: undefined,
  lastError: undefined,
  claimedUntil: undefined,
  claim: undefined,
};

function onFailure<T extends RunState>(
  run: T,
  data: Extract<PayrollPostingEvent, { type: 'AttemptFailed' }>['data'],
): T {
  return {
    ...run,
    failures: data.attempt,
    // A refused create ends its claim (the next attempt may create at once); an ambiguous one does not.
    ...afterFailure(run, data.step, data.createOutcome, data.retryable ? data.nextAttemptAt : undefined),
    nextAttemptAt: data.retryable ? data.nextAttemptAt : undefined,
    lastError: { step: data.step, message: data.error, code: data.errorKind },
  };
}

/** A replay keeps a claim (its create may still commit) and looks the journal up at once. */
const keptClaim = (run: RunState): Pick<RunState, 'claimedUntil' | 'claim'> => ({
  claimedUntil: run.claimedUntil,
  claim: run.claim ? { ...run.claim, checkDueAt: undefined } : undefined,
});

/** Folds one event into the state. Pure and total: an unknown order of events never throws. */
export function evolve(state: PayrollPosting, event: PayrollPostingEvent): PayrollPosting {
  switch (event.type) {
    case 'PostingRequested':
      return {
        ...state,
        ...freshRun,
        phase: 'requested',
        connectionId: event.data.connectionId,
        payrollUuid: event.data.payrollUuid,
        trigger: event.data.trigger,
        attempts: 1,
      };
    case 'PayrollFetched':
      return { ...state, payroll: event.data };
    case 'JournalBuilt':
      // Rebuilt after a replay: a claim's create may still commit (the tag is the same), so the claim stays.
      return {
        ...state,
        ...freshRun,
        claimedUntil: state.claimedUntil,
        claim: state.claim,
        phase: 'built',
        journal: event.data.journal,
        mappingVersion: event.data.mappingVersion,
      };
    case 'PostingBlocked': {
      // A claim outlives the block: its create may still commit, so a replay still waits for it.
      const blocked = { blocked: event.data.reasons, nextAttemptAt: undefined };
      if (REVERSAL_STEPS.has(event.data.step) && state.reversal)
        return { ...state, reversal: { ...state.reversal, ...blocked } };
      return {
        ...state,
        ...blocked,
        lastError: state.lastError ?? {
          step: event.data.step,
          message: event.data.reasons.map((r) => r.message).join(' '),
          code: event.data.reasons[0]?.code,
        },
      };
    }
    case 'JournalCreationStarted':
      if (event.data.step === 'create_reversal') {
        return state.reversal ? { ...state, reversal: { ...state.reversal, ...claimed(event.data) } } : state;
      }
      return { ...state, ...claimed(event.data) };
    case 'QueuedCreateAwaited':
      if (event.data.step === 'create_reversal')
        return state.reversal ? { ...state, reversal: awaited(state.reversal, event.data) } : state;
      return awaited(state, event.data);
    case 'ExistingJournalFound':
    case 'JournalCreated':
      return {
        ...state,
        ...freshRun,
        phase: 'created',
        batchNbr: event.data.batchNbr,
        acumaticaStatus: event.data.status,
      };
    case 'JournalReleased':
      return {
        ...state,
        ...freshRun,
        released: true,
        batchNbr: event.data.batchNbr,
        acumaticaStatus: event.data.status,
      };
    case 'PayrollPosted':
      return { ...state, ...freshRun, phase: 'posted' };
    case 'AttemptFailed': {
      if (REVERSAL_STEPS.has(event.data.step) && state.reversal) {
        return { ...state, reversal: onFailure(state.reversal, event.data) };
      }
      return { ...onFailure(state, event.data), attempts: state.attempts + (event.data.retryable ? 1 : 0) };
    }
    case 'PostingReplayed': {
      if (state.reversal && state.reversal.phase !== 'reversed') {
        return {
          ...state,
          attempts: state.attempts + 1,
          reversal: { ...state.reversal, ...freshRun, ...keptClaim(state.reversal) },
        };
      }
      // Without a batch number the journal is rebuilt (the mapping may have been fixed); with one, the
      // existing batch is looked up again, which finds it rather than creating a second one.
      const phase = state.batchNbr ? 'built' : 'requested';
      // A replay never cancels a claim: a create may still be in flight.
      return {
        ...state,
        ...freshRun,
        ...keptClaim(state),
        phase,
        released: state.batchNbr ? state.released : false,
        attempts: state.attempts + 1,
      };
    }
    case 'PostingCancelled':
      return {
        ...state,
        ...freshRun,
        phase: 'cancelled',
        reversal: undefined,
        connectionId: state.connectionId ?? event.data.connectionId,
        payrollUuid: state.payrollUuid ?? event.data.payrollUuid,
      };
    case 'PostingReprocessed':
      // A new generation: everything about the previous journal is history (it stays in the log).
      return {
        ...initialState,
        phase: 'requested',
        connectionId: state.connectionId,
        payrollUuid: state.payrollUuid,
        trigger: event.data.trigger,
        attempts: state.attempts + 1,
        generation: event.data.generation,
      };
    case 'CancellationContradicted':
      // A fact for the audit trail: nothing about the posting changes.
      return state;
    case 'ReversalRequested':
      return { ...state, reversal: { ...freshRun, phase: 'requested', trigger: event.data.trigger } };
    case 'ReversalJournalBuilt':
      return state.reversal
        ? { ...state, reversal: { ...state.reversal, ...freshRun, phase: 'built', journal: event.data.journal } }
        : state;
    case 'ReversalJournalFound':
    case 'ReversalJournalCreated':
      return state.reversal
        ? { ...state, reversal: { ...state.reversal, ...freshRun, phase: 'created', batchNbr: event.data.batchNbr } }
        : state;
    case 'ReversalJournalReleased':
      return state.reversal
        ? { ...state, reversal: { ...state.reversal, ...freshRun, batchNbr: event.data.batchNbr } }
        : state;
    case 'PayrollReversed':
      return state.reversal
        ? { ...state, reversal: { ...state.reversal, ...freshRun, phase: 'reversed', batchNbr: event.data.batchNbr } }
        : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const fold = (events: Iterable<PayrollPostingEvent>, from: PayrollPosting = initialState): PayrollPosting => {
  let state = from;
  for (const e of events) state = evolve(state, e);
  return state;
};

const runStatus = (run: RunState): 'needs_attention' | 'failed' | 'pending' =>
  run.blocked ? 'needs_attention' : run.nextAttemptAt ? 'failed' : 'pending';

/** The status shown by the API. A cancellation in progress keeps the posting pending until we know whether a journal exists. */
export function statusOf(state: PayrollPosting): PostingStatus {
  if (state.phase === 'posted') return 'posted';
  if (state.phase === 'cancelled') return 'cancelled';
  if (state.reversal && state.phase === 'built') return runStatus(state.reversal);
  return runStatus(state);
}

export function reversalStatusOf(reversal: ReversalState): ReversalStatus {
  return reversal.phase === 'reversed' ? 'reversed' : runStatus(reversal);
}

/** True when nothing will ever happen to the posting again without a new command. */
export const isSettled = (state: PayrollPosting): boolean => {
  const status = statusOf(state);
  if (status === 'cancelled') return true;
  if (status === 'posted')
    return (
      !state.reversal ||
      reversalStatusOf(state.reversal) === 'reversed' ||
      reversalStatusOf(state.reversal) === 'needs_attention'
    );
  return status === 'needs_attention';
};
