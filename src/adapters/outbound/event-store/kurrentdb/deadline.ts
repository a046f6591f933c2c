/**
 * The client's reads go through its native bridge, which ignores the `deadline` option; a black-holed
 * server would hang them forever. These helpers put a hard deadline on anything we await from it.
 */
export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // the loser of the race must not surface as an unhandled rejection
  }
}

/**
 * Pulls from `source` until `take` says stop (returns false) or the source ends, failing when any single
 * step takes longer than `ms` (a per-step limit, so a long but healthy read is never cut off). On timeout or
 * early stop the source is told to stop (`return()`), which cancels the server-side read.
 */
export async function drain<T>(source: AsyncIterable<T>, ms: number, take: (item: T) => boolean): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await withDeadline(iterator.next(), ms);
      if (next.done) {
        finished = true;
        return;
      }
      if (!take(next.value)) return;
    }
  } finally {
    if (!finished) void iterator.return?.()?.catch?.(() => undefined);
  }
}
