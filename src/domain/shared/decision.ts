/**
 * What every decider answers: the events to append (`[]` when the command is already satisfied), or a
 * named refusal. One shape for every aggregate, so one command handler serves them all
 * (src/application/shared/command-handler.ts) and one given/when/then helper tests them all.
 */
export interface Accepted<E> {
  readonly events: E[];
}

/** A refusal: a string-literal error name, a sentence for people, and sometimes facts the caller needs. */
export interface Refused<Err extends string> {
  readonly error: Err;
  readonly message?: string;
}

export type Decision<E, Err extends string = never> = Accepted<E> | Refused<Err>;

export const accept = <E>(...events: NoInfer<E>[]): Accepted<E> => ({ events });

export function refuse<Err extends string>(error: Err, message?: string): Refused<Err> {
  return message === undefined ? { error } : { error, message };
}

export function isRefused<D extends Accepted<unknown> | Refused<string>>(
  decision: D,
): decision is Extract<D, Refused<string>> {
  return 'error' in decision;
}
