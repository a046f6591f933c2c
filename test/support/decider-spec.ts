/**
 * Given these past events, when this command, then these events (or this named error): the one way every
 * decider is tested (test/unit/domain/**). One shape for every decider (src/domain/shared/decision.ts).
 *
 *   const { given } = decider(fold);
 *   given(requested, fetched).when((s) => recordJournalAbsent(s, now, 'run-1', terms)).then(claim);
 *   given().when((s) => replayPosting(s, {})).thenError('posting_not_found');
 */
import type { Accepted, Refused } from '../../src/domain/shared/decision';

type AnyDecision<E> = Accepted<E> | Refused<string>;
type AcceptedOf<D, E> = Extract<D, Accepted<E>>;
type RefusedOf<D> = Extract<D, Refused<string>>;

export interface When<S, E, D extends AnyDecision<E>> {
  /** The decision as the decider made it, for what `then…` does not check. */
  readonly decision: D;
  /** Exactly these events (none: already satisfied, nothing to append). Answers the decision and the state after it. */
  then(...events: E[]): AcceptedOf<D, E> & { state: S };
  /** Accepted, whatever its events (the caller looks at them, e.g. a decision that also says what to write). */
  thenAccepted(): AcceptedOf<D, E> & { state: S };
  /** Events of these types, in this order (their data checked by the caller, or elsewhere). */
  thenTypes(...types: string[]): AcceptedOf<D, E> & { state: S };
  /** The named refusal (and nothing to append). */
  thenError(error: RefusedOf<D>['error'], message?: string | RegExp): RefusedOf<D>;
}

export interface Given<S, E> {
  /** The state folded from the history. */
  readonly state: S;
  when<D extends AnyDecision<E>>(command: (state: S) => D): When<S, E, D>;
}

export function decider<S, E extends { type: string }>(
  fold: (events: E[]) => S,
): { given: (...history: E[]) => Given<S, E> } {
  return {
    given: (...history) => {
      const state = fold(history);
      return {
        state,
        when: <D extends AnyDecision<E>>(command: (s: S) => D): When<S, E, D> => {
          const decision = command(state);
          const accepted = (): AcceptedOf<D, E> & { state: S } => {
            if ('error' in decision)
              throw new Error(
                `expected events, got the refusal ${decision.error}${decision.message ? `: ${decision.message}` : ''}`,
              );
            const events = (decision as Accepted<E>).events;
            // `state` is not enumerable: the decision itself still compares equal to what the decider said.
            return Object.defineProperty({ ...(decision as AcceptedOf<D, E>) }, 'state', {
              value: fold([...history, ...events]),
              enumerable: false,
            }) as AcceptedOf<D, E> & { state: S };
          };
          return {
            decision,
            then: (...events) => {
              const out = accepted();
              expect(out.events).toEqual(events);
              return out;
            },
            thenAccepted: accepted,
            thenTypes: (...types) => {
              const out = accepted();
              expect(out.events.map((e) => e.type)).toEqual(types);
              return out;
            },
            thenError: (error, message) => {
              expect(decision).toMatchObject({ error });
              if (message !== undefined) expect((decision as Refused<string>).message).toMatch(message);
              expect(decision).not.toHaveProperty('events');
              return decision as RefusedOf<D>;
            },
          };
        },
      };
    },
  };
}

/**
 * The events of an accepted decision (a refusal fails the test), for a step of a longer story whose state was
 * folded by the test itself: `given(...history, ...eventsOf(decision))`.
 */
export function eventsOf<E>(
  decision: Accepted<E> | Refused<string> | { decision: Accepted<E> | Refused<string> },
): E[] {
  const d = 'decision' in decision ? decision.decision : decision;
  if ('error' in d) throw new Error(`expected events, got the refusal ${d.error}`);
  return d.events;
}
