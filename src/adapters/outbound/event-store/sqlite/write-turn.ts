/**
 * One turn at the SQLite write lock per process, shared (Atomics, a SharedArrayBuffer) by the main thread's
 * writers and the worker threads of a read-model bulk build (../../read-models/sqlite-bulk-build.ts).
 *
 * Without it the two parts hand the lock to each other back to back, and a main-thread append waiting in
 * SQLite's busy handler (which sleeps 1, 2, 5 … 100 ms between tries) seldom finds it free: measured, a
 * cold start's main thread spent 13 of 19 s blocked in appends during the build. Here a waiting main thread
 * goes first: the parts do not take the turn while it waits, and it is woken the moment the turn is free.
 * Other processes on the same file still meet SQLite's own lock and busy handler, as before.
 */
/** Who holds the turn: 0 nobody, 1 the main thread, 2 + n a bulk build's part n. */
const HELD = 0;
const MAIN_WAITING = 1;
const MAIN = 1;
/** Waits are bounded: a terminated part, or a change missed between a check and a wait, costs at most this. */
const WAIT_MS = 50;

/** This process's turn (the main thread's; a worker is handed it in its workerData). */
export const PROCESS_WRITE_TURN = new SharedArrayBuffer(8);

const mainTurn = new Int32Array(PROCESS_WRITE_TURN);
let mainDepth = 0;

/** `write` (a write transaction) on the main thread, holding the process's turn (re-entrant). */
export function mainWriteTurn<T>(write: () => T): T {
  if (mainDepth > 0) return nested(write);
  Atomics.add(mainTurn, MAIN_WAITING, 1);
  try {
    for (let holder = take(mainTurn, MAIN); holder !== 0; holder = take(mainTurn, MAIN))
      Atomics.wait(mainTurn, HELD, holder, WAIT_MS);
  } finally {
    Atomics.sub(mainTurn, MAIN_WAITING, 1);
  }
  try {
    return nested(write);
  } finally {
    release(mainTurn);
  }
}

function nested<T>(write: () => T): T {
  mainDepth += 1;
  try {
    return write();
  } finally {
    mainDepth -= 1;
  }
}

/** The holder before: 0 when `who` took the turn. */
const take = (turn: Int32Array, who: number): number => Atomics.compareExchange(turn, HELD, 0, who);

/**
 * `write` in a bulk build's part `part` (0, 1 …), holding `turn` (the main thread's, handed to the worker),
 * never before a main-thread writer that is waiting.
 */
export function partWriteTurn<T>(turn: Int32Array, part: number, write: () => T): T {
  for (;;) {
    while (Atomics.load(turn, MAIN_WAITING) > 0) Atomics.wait(turn, HELD, Atomics.load(turn, HELD), 1);
    const holder = take(turn, 2 + part);
    if (holder === 0) break;
    Atomics.wait(turn, HELD, holder, WAIT_MS);
  }
  try {
    return write();
  } finally {
    release(turn);
  }
}

function release(turn: Int32Array): void {
  Atomics.store(turn, HELD, 0);
  Atomics.notify(turn, HELD);
}

/** After part `part`'s worker ended (perhaps terminated inside a write): frees the turn if it still holds it. */
export function releaseEndedPart(turn: Int32Array, part: number): void {
  if (Atomics.compareExchange(turn, HELD, 2 + part, 0) === 2 + part) Atomics.notify(turn, HELD);
}
