/**
 * ConnectionsReadModel.findByGustoCompany (asked by every webhook): the oldest connection authorized for
 * the company, found without sorting every connection (the scale bench's 10,000 connections).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { ConnectionsReadModel } from '../../../src/application/connections/connections-read-model';
import { connectionStream } from '../../../src/domain/connection/events';

const acumatica = {
  baseUrl: 'https://acme.example',
  tenant: 'AcmeCorp',
  endpointName: 'Default',
  endpointVersion: '24.200.001',
  auth: { kind: 'cookie', username: 'u' },
};

describe('ConnectionsReadModel.findByGustoCompany', () => {
  it('answers the oldest connection of the company, whatever order the connections were written in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-connections-rm-'));
    const store = new SqliteEventStore(join(dir, 'store.db'));
    try {
      const connect = async (id: string, createdAt: string, companyUuid: string) =>
        store.append(
          connectionStream(id),
          [
            { type: 'ConnectionCreated', data: { connectionId: id, name: id, acumatica, createdAt } },
            { type: 'GustoAuthorized', data: { companyUuid, stateHash: 'h', authorizedAt: createdAt } },
          ],
          'no_stream',
        );
      for (let i = 0; i < 50; i++)
        await connect(`other-${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`, `company-${i}`);
      await connect('newer', '2026-03-01T00:00:00Z', 'shared');
      await connect('older', '2026-02-01T00:00:00Z', 'shared'); // written later, created earlier
      const model = new ConnectionsReadModel(store);
      expect((await model.findByGustoCompany('shared'))?.id).toBe('older');
      expect((await model.findByGustoCompany('company-7'))?.id).toBe('other-7');
      expect(await model.findByGustoCompany('nobody')).toBeNull();
      // A connection authorized after the first question is seen at the next one.
      await connect('late', '2026-04-01T00:00:00Z', 'late-company');
      expect((await model.findByGustoCompany('late-company'))?.id).toBe('late');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
