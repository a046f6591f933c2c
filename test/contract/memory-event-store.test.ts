/** The unit tests' in-memory store keeps the same contract as the real adapters, so a unit test cannot pass on a rule they break. */
import { MemoryEventStore } from '../unit/application/payroll-posting/fakes';
import { runEventStoreContract } from './event-store.contract';

runEventStoreContract('in-memory event store (unit-test fake) contract', async () => {
  const store = new MemoryEventStore();
  // One process, one store: "another connection" is the same store.
  return { store, connectAgain: async () => store };
});
