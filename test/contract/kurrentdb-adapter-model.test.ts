/**
 * The contract against the KurrentDB adapter wired to an in-memory model of the client (see
 * support/kurrentdb-client-model.ts). This runs everywhere and pins the adapter's own logic; the real-server
 * run is kurrentdb-event-store.test.ts.
 */
import { KurrentDbEventStore } from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-event-store';
import { runEventStoreContract } from './event-store.contract';
import { KurrentServerModel } from './support/kurrentdb-client-model';

runEventStoreContract('KurrentDB adapter contract (in-memory model of the client)', async () => {
  const server = new KurrentServerModel();
  const open = () =>
    new KurrentDbEventStore('kurrentdb://admin:changeit@model:2113?tls=false', { client: server.client() });
  return { store: open(), connectAgain: async () => open() };
});
