/**
 * Marks code running inside a subscription handler. `Subscription.stop()` waits for the running handler —
 * except when the handler itself calls stop(), which would otherwise wait on itself forever.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const insideHandler = new AsyncLocalStorage<object>();

export function runHandler<T>(subscription: object, run: () => T): T {
  return insideHandler.run(subscription, run);
}

export function isInsideHandlerOf(subscription: object): boolean {
  return insideHandler.getStore() === subscription;
}
