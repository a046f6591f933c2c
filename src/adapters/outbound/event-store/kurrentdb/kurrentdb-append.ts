/**
 * Appends over KurrentDB, following the shared rule in ../append-plan.ts.
 *
 * Two paths:
 *  - No caller ids (every id generated here, so none can already be stored): nothing to be idempotent about,
 *    so no planning read — the caller's expectation goes to the server as is (`any` → ANY, …) and a refusal is
 *    the caller's conflict.
 *  - Caller ids: a planning read of the stream's tail, backwards from END on the leader (`requiresLeader`: a
 *    follower may lag, and a stale head would make every write lose), stopping as soon as every id of the batch
 *    is found, and reading at most `batch + idempotencyWindow` events. It plans, then writes with the observed
 *    head as the server-side expectation. Losing that race is not the caller's conflict: it re-plans (a conflict,
 *    a repeat, or — for `any`/`stream_exists` — a write at the new head), with jittered back-off, until the append
 *    deadline; `any`/`stream_exists` that never win within it are reported unavailable (retry later), never a
 *    conflict. Retries recognised as repeats: those whose events are still within that tail.
 *
 * NotLeader (a leader change; the planning read requires the leader) is a refusal: the attempt is made again,
 * with back-off, until the deadline, while the client re-dials the leader it names; then unavailable.
 *
 * Every write runs under a hard deadline (the client's batch-append stream is opened with an infinite gRPC
 * deadline; a black-holed server would hold the promise forever), and `success: false` (what the client returns
 * instead of throwing when `throwOnAppendFailure=false`) counts as a refusal — never as a success.
 */
import {
  ANY,
  AppendStreamState,
  BACKWARDS,
  END,
  KurrentDBClient,
  NO_STREAM,
  NotLeaderError,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  WrongExpectedRevisionError,
} from '../../../../application/ports/event-store.port';
import { backoffMs } from '../../../../application/shared/backoff';
import {
  IdentifiedEvent,
  identify,
  NormalizedExpected,
  normalizeExpected,
  planAppend,
  StoredRef,
  StreamHead,
} from '../append-plan';
import { drain, withDeadline } from './deadline';
import { fromResolved, toEventData, translateError } from './kurrentdb-mapping';

export interface AppendSettings {
  client: KurrentDBClient;
  description: string;
  /** Hard limit per call, and the whole budget of one append's re-plans. */
  deadlineMs: number;
  /** How far beyond the batch's length the planning read looks for its ids. */
  idempotencyWindow: number;
  /** Optional cap on write attempts (re-plans after lost races); the deadline always applies. */
  maxAppendAttempts?: number;
}

type WriteOutcome = { kind: 'written'; result: AppendResult } | { kind: 'refused'; actual?: StreamHead };

export async function appendToKurrent(
  settings: AppendSettings,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const normalized = normalizeExpected(expected);
  const identified = identify(events, randomUUID); // validates the batch first (TypeError for what no store takes)
  const callerIds = events.some((event) => event.id !== undefined);
  const until = Date.now() + settings.deadlineMs;
  return retryOnNotLeader(settings, until, () =>
    callerIds
      ? appendPlanned(settings, stream, identified, normalized, expected, until)
      : appendFresh(settings, stream, identified, normalized, expected),
  );
}

/**
 * NotLeader is a refusal (nothing was read from or written to a follower); the client re-dials the leader it
 * names, so the whole attempt is simply made again, until the deadline. After it: unavailable.
 */
async function retryOnNotLeader<T>(settings: AppendSettings, until: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      if (Date.now() >= until) throw translateError(error, settings.description);
      await sleep(backoffMs(tries, { baseMs: 10, capMs: 250 }));
    }
  }
}

async function appendPlanned(
  settings: AppendSettings,
  stream: string,
  identified: IdentifiedEvent[],
  normalized: NormalizedExpected,
  expected: ExpectedRevision,
  until: number,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt += 1) {
    const tail = await readTail(settings, stream, identified);
    const plan = planAppend(identified, normalized, tail.head, tail.found);
    if (plan.kind === 'conflict') throw new WrongExpectedRevisionError(stream, expected, plan.actual);
    if (plan.kind === 'repeat') return { nextExpectedRevision: plan.nextExpectedRevision, position: plan.position };
    const outcome = await write(settings, stream, plan.events, tail.head === 'no_stream' ? NO_STREAM : tail.head);
    if (outcome.kind === 'written') return outcome.result;

    const exhausted =
      Date.now() >= until || (settings.maxAppendAttempts !== undefined && attempt >= settings.maxAppendAttempts);
    if (exhausted && (normalized === 'any' || normalized === 'stream_exists')) {
      throw new EventStoreUnavailableError(
        settings.description,
        new Error(
          `append to ${stream} lost the race against other writers ${attempt} times within ${settings.deadlineMs} ms`,
        ),
      );
    }
    // An exact expectation re-plans to a conflict or a repeat; only a pathological loop reaches this.
    if (exhausted)
      throw new WrongExpectedRevisionError(stream, expected, outcome.actual ?? (await readHead(settings, stream)));
    await sleep(attempt === 1 ? 0 : backoffMs(attempt - 1, { baseMs: 5, capMs: 100 }));
  }
}

/** Generated ids only: the server checks the caller's own expectation; no planning read. */
async function appendFresh(
  settings: AppendSettings,
  stream: string,
  events: IdentifiedEvent[],
  normalized: NormalizedExpected,
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const state: AppendStreamState =
    normalized === 'any'
      ? ANY
      : normalized === 'no_stream'
        ? NO_STREAM
        : normalized === 'stream_exists'
          ? STREAM_EXISTS
          : normalized;
  const outcome = await write(settings, stream, events, state);
  if (outcome.kind === 'written') return outcome.result;
  throw new WrongExpectedRevisionError(stream, expected, outcome.actual ?? (await readHead(settings, stream)));
}

async function write(
  settings: AppendSettings,
  stream: string,
  events: IdentifiedEvent[],
  streamState: AppendStreamState,
): Promise<WriteOutcome> {
  try {
    const result = await withDeadline(
      settings.client.appendToStream(
        stream,
        events.map((event) => toEventData(stream, event)),
        { streamState, deadline: settings.deadlineMs },
      ),
      settings.deadlineMs,
    );
    // throwOnAppendFailure=false: a refusal resolves with success false and a meaningless revision.
    if (!result.success) return { kind: 'refused' };
    const position = result.position?.commit ?? (await lastPosition(settings, stream));
    return { kind: 'written', result: { nextExpectedRevision: result.nextExpectedRevision, position } };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      const actual = error.actualState;
      return {
        kind: 'refused',
        actual: typeof actual === 'bigint' ? actual : actual === NO_STREAM ? 'no_stream' : undefined,
      };
    }
    throw untranslatedNotLeader(error, settings);
  }
}

/** The head and where the batch's ids sit, from the stream's tail on the leader. */
async function readTail(
  settings: AppendSettings,
  stream: string,
  events: IdentifiedEvent[],
): Promise<{ head: StreamHead; found: Map<string, StoredRef> }> {
  const wanted = new Set(events.map((event) => event.id));
  const found = new Map<string, StoredRef>();
  let head: StreamHead = 'no_stream';
  try {
    const reader = tailOnLeader(settings, stream, events.length + settings.idempotencyWindow);
    let first = true;
    await drain(reader, settings.deadlineMs, (resolved) => {
      const event = fromResolved(resolved);
      if (!event) return true;
      if (first) head = event.revision;
      first = false;
      if (wanted.has(event.id)) found.set(event.id, { revision: event.revision, position: event.position });
      return found.size < wanted.size;
    });
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { head: 'no_stream', found };
    throw untranslatedNotLeader(error, settings);
  }
  return { head, found };
}

/** The stream's last revision on the leader (one event). */
export async function readHead(settings: AppendSettings, stream: string): Promise<StreamHead> {
  let head: StreamHead = 'no_stream';
  try {
    const reader = tailOnLeader(settings, stream, 1);
    await drain(reader, settings.deadlineMs, (resolved) => {
      if (resolved.event) head = resolved.event.revision;
      return false;
    });
  } catch (error) {
    if (error instanceof StreamNotFoundError) return 'no_stream';
    throw untranslatedNotLeader(error, settings);
  }
  return head;
}

/**
 * Fallback for servers that do not return the position of an append. The write has landed by now, so every
 * error here is translated (a NotLeader must not make retryOnNotLeader write again).
 */
async function lastPosition(settings: AppendSettings, stream: string): Promise<bigint> {
  let position = -1n;
  try {
    const reader = tailOnLeader(settings, stream, 1);
    await drain(reader, settings.deadlineMs, (resolved) => {
      position = resolved.event?.position?.commit ?? resolved.commitPosition ?? -1n;
      return false;
    });
  } catch (error) {
    throw translateError(error, settings.description);
  }
  return position;
}

/** A backwards read from the end of the stream, on the leader, under the append's deadline. */
function tailOnLeader(settings: AppendSettings, stream: string, maxCount: number) {
  return settings.client.readStream(stream, {
    direction: BACKWARDS,
    fromRevision: END,
    maxCount,
    requiresLeader: true,
    deadline: settings.deadlineMs,
  });
}

/** NotLeader stays as is (retryOnNotLeader handles it); anything else is translated for the port. */
function untranslatedNotLeader(error: unknown, settings: AppendSettings): unknown {
  return error instanceof NotLeaderError ? error : translateError(error, settings.description);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
