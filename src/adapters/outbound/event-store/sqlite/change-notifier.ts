/**
 * In-process wake-ups for SQLite subscriptions. Every store instance in this process that opens the same
 * file shares one channel, so an append by any of them wakes every subscription at once; appends by
 * other OS processes are only seen by polling (SQLite has no cross-process notification).
 *
 * The version counter closes the race between "read found nothing" and "start waiting": a subscription
 * notes the version before it reads and waits only if the version is still the same afterwards.
 */
type Listener = () => void;

class Channel {
  version = 0;
  readonly listeners = new Set<Listener>();
}

const channels = new Map<string, Channel>();

function channel(key: string): Channel {
  let found = channels.get(key);
  if (!found) {
    found = new Channel();
    channels.set(key, found);
  }
  return found;
}

export function changeVersion(key: string): number {
  return channel(key).version;
}

export function notifyChange(key: string): void {
  const target = channel(key);
  target.version += 1;
  for (const listener of [...target.listeners]) listener();
}

/**
 * Resolves when `key` changes after `sinceVersion`, when `pollMs` elapses, or when `abort` fires.
 * Always resolves (never rejects): the caller re-reads the database either way.
 */
export function waitForChange(key: string, sinceVersion: number, pollMs: number, abort: AbortSignal): Promise<void> {
  const target = channel(key);
  if (target.version !== sinceVersion || abort.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      target.listeners.delete(done);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    target.listeners.add(done);
    abort.addEventListener('abort', done, { once: true });
  });
}
