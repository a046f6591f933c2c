/**
 * Picks the event-store adapter from EVENT_STORE_URL. Never connects: the KurrentDB client dials lazily,
 * so an unreachable server does not stop the service from starting (/health reports it through ping()).
 */
import { EventStore } from '../../../application/ports/event-store.port';
import { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
import { isKurrentDbUrl, redactUrl } from './kurrentdb/kurrentdb-url';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

export interface CreateEventStoreOptions {
  sqlite?: SqliteEventStoreOptions;
  kurrentdb?: KurrentDbEventStoreOptions;
}

/**
 * `sqlite:<path>` (relative to cwd, or absolute; `sqlite::memory:` for a throwaway in-memory store) or
 * `esdb://`, `esdb+discover://`, `kurrentdb://`, `kurrentdb+discover://`, `kdb://`, `kdb+discover://`.
 */
export function createEventStore(url: string, options: CreateEventStoreOptions = {}): EventStore {
  const trimmed = url.trim();
  if (trimmed.startsWith('sqlite:')) {
    // `sqlite:///abs/file.db` and `sqlite://rel.db` are common spellings; drop the `//` authority marker.
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path.length === 0)
      throw new Error('EVENT_STORE_URL: sqlite: needs a file path, e.g. sqlite:data/ml-connector.db');
    return new SqliteEventStore(path, options.sqlite);
  }
  if (isKurrentDbUrl(trimmed)) return new KurrentDbEventStore(trimmed, options.kurrentdb);
  throw new Error(
    `EVENT_STORE_URL must be sqlite:<path>, esdb://…, esdb+discover://…, kurrentdb://… or kurrentdb+discover://…; got "${redactUrl(trimmed)}"`,
  );
}
