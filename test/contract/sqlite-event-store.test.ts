/** The contract against the embedded store: a fresh file per case, a second connection on the same file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { runEventStoreContract } from './event-store.contract';

const root = mkdtempSync(join(tmpdir(), 'mlc-sqlite-contract-'));
let counter = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

runEventStoreContract('SQLite event store contract', async () => {
  counter += 1;
  const file = join(root, `case-${counter}`, 'events.db');
  // A short poll keeps the cross-connection cases quick; the in-process wake-up covers same-process appends.
  const open = () => new SqliteEventStore(file, { pollIntervalMs: 50 });
  return { store: open(), connectAgain: async () => open() };
});
