/**
 * The finding behind issue #12's first point, end to end in-process: the postings read model over the KurrentDB
 * adapter (on the in-memory model of client 1.3.1) keeps up after its subscription is dropped by a server restart
 * or a leader change. Before the fix the client's stream just ended and the projection froze without a word.
 */
import { UnavailableError } from '@kurrent/kurrentdb-client';
import { KurrentDbEventStore } from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-event-store';
import { SqliteReadModelStore } from '../../src/adapters/outbound/read-models/sqlite-read-model-store';
import { RequestPostingCommand } from '../../src/application/payroll-posting/commands';
import { PostingsProjection } from '../../src/application/payroll-posting/projections/postings-projection';
import { postingId } from '../../src/domain/payroll-posting/events';
import type { MemoryEventStore } from '../unit/application/payroll-posting/fakes';
import { CONNECTION, eventually, harness } from '../unit/application/payroll-posting/harness';
import { KurrentServerModel } from './support/kurrentdb-client-model';

describe('postings read model over KurrentDB (client model): survives dropped subscriptions', () => {
  for (const drop of ['an error (UNAVAILABLE)', 'a quiet end of the stream'] as const) {
    it(`a posting made after ${drop} still shows as posted`, async () => {
      const server = new KurrentServerModel();
      const store = new KurrentDbEventStore('kurrentdb://model:2113?tls=false', {
        client: server.client(),
        resubscribeDelayMs: { min: 10, max: 50 },
      });
      // The read model's own store: a local SQLite file per instance with KurrentDB (here in memory).
      const projection = new PostingsProjection(store, new SqliteReadModelStore(':memory:'));
      try {
        await projection.start();
        server.dropSubscriptions(drop === 'a quiet end of the stream' ? undefined : new UnavailableError(undefined));

        const h = harness({ store: store as unknown as MemoryEventStore });
        await h.request.execute(new RequestPostingCommand(CONNECTION, h.payroll.uuid, 'webhook', 'evt-1'));
        await h.saga.idle();
        await eventually(
          () => expect(projection.get(postingId(CONNECTION, h.payroll.uuid))?.status).toBe('posted'),
          5000,
        );
        expect(projection.countByStatus()).toMatchObject({ posted: 1, pending: 0 });
      } finally {
        await projection.onApplicationShutdown();
        await store.close();
      }
    });
  }
});
