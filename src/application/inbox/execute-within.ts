/** A command run with a deadline on the wait, not on the command (`inbox-dispatcher.ts` frees its slot). */
import type { InboxCommand } from './event-routing';
import type { CommandDispatch } from './dispatcher-options';
import type { InboxLogger } from './inbox-logger';

/** True when the command finished within `timeoutMs`; false when it is still running (it keeps running). */
export async function executeWithin(
  commands: CommandDispatch,
  command: InboxCommand,
  timeoutMs: number,
  logger: InboxLogger,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  let waiting = true;
  const execution = commands.execute(command);
  // Once we stop waiting nobody else hears about a late failure: log it (the poll is the safety net).
  execution.catch((error: unknown) => {
    if (!waiting)
      logger.warn('command failed after the dispatcher stopped waiting', {
        command: command.constructor.name,
        error: (error as Error)?.message,
      });
  });
  try {
    return await Promise.race([execution.then(() => true as const), timedOut]);
  } finally {
    waiting = false;
    clearTimeout(timer);
  }
}
