import { createEventStore } from '../../../../../src/adapters/outbound/event-store/create-event-store';
import type { AcumaticaApi } from '../../../../../src/application/ports/acumatica.port';
import type { EventStore } from '../../../../../src/application/ports/event-store.port';
import type { GustoApi } from '../../../../../src/application/ports/gusto.port';
import {
  SyncAllEmployeesHandler,
  SyncEmployeeHandler,
} from '../../../../../src/application/employee-mirror/command-handlers';
import { SyncAllEmployeesCommand, SyncEmployeeCommand } from '../../../../../src/application/employee-mirror/commands';
import { EmployeeListQuery } from '../../../../../src/application/employee-mirror/employee-list.query';
import { EmployeeSync } from '../../../../../src/application/employee-mirror/employee-sync';
import { FakeAcumatica, FakeGusto, mirrorConnections } from './fakes';
import { ManualClock } from '../../../../support/clock';

/** The mirror's application layer over the real embedded store (in memory) and fakes of Gusto and Acumatica. */
export function harness() {
  const store: EventStore = createEventStore('sqlite::memory:');
  const gusto = new FakeGusto();
  const acumatica = new FakeAcumatica();
  const connections = mirrorConnections();
  const clock = new ManualClock(new Date('2026-03-02T18:00:00Z'));
  const sync = new EmployeeSync(
    store,
    gusto as unknown as GustoApi,
    acumatica as unknown as AcumaticaApi,
    connections,
    clock,
  );
  const one = new SyncEmployeeHandler(sync);
  const all = new SyncAllEmployeesHandler(sync, gusto as unknown as GustoApi, clock, store);
  const query = new EmployeeListQuery(store, connections);
  return {
    store,
    sync,
    gusto,
    acumatica,
    connections,
    clock,
    webhook: (uuid: string, eventType = 'employee.updated', eventId = `evt-${Math.random()}`) =>
      one.execute(new SyncEmployeeCommand('conn-1', uuid, 'webhook', eventType, eventId, eventId)),
    poll: () => all.execute(new SyncAllEmployeesCommand('conn-1', 'poll', 'poll-1')),
    list: (options?: { limit?: number; cursor?: string }) => query.list('conn-1', options),
    events: async (uuid: string) => (await store.readStream(`employee-mirror-conn-1-${uuid}`)).map((e) => e.type),
    close: () => store.close(),
  };
}
