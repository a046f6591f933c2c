/**
 * createEventStore: scheme selection, the error naming EVENT_STORE_URL, and the promise that an unreachable
 * KurrentDB never stops the service from starting (creation is lazy, ping() fails fast).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailableError } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/adapters/outbound/event-store/create-event-store';
import { KurrentDbEventStore } from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-event-store';
import { SqliteEventStore } from '../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';

describe('createEventStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-create-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sqlite:<relative path> resolves against cwd, creates the parent folder and describes itself that way', async () => {
    const store = createEventStore('sqlite:nested/deeper/events.db', { sqlite: { cwd: dir } });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(store.description).toBe('sqlite:nested/deeper/events.db');
      expect(existsSync(join(dir, 'nested/deeper/events.db'))).toBe(true);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('sqlite: accepts absolute paths (also as sqlite:///…) and :memory:', async () => {
    const absolute = join(dir, 'abs/events.db');
    for (const url of [`sqlite:${absolute}`, `sqlite://${absolute}`, 'sqlite::memory:']) {
      const store = createEventStore(url);
      try {
        await store.append('s', [{ id: 'a', type: 'T', data: 1 }], 'any');
        expect((await store.readStream('s')).map((event) => event.id)).toEqual(['a']);
      } finally {
        await store.close();
      }
    }
    expect(existsSync(absolute)).toBe(true);
  });

  it('a closed SQLite store answers ping() with EventStoreUnavailableError', async () => {
    const store = createEventStore(`sqlite:${join(dir, 'closed.db')}`);
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it.each([
    'esdb://h:2113?tls=false',
    'esdb+discover://h:2113',
    'kurrentdb://h:2113?tls=false',
    'kurrentdb+discover://h1:2113,h2:2113',
  ])('%s selects the KurrentDB adapter without connecting', async (url) => {
    const store = createEventStore(url);
    try {
      expect(store).toBeInstanceOf(KurrentDbEventStore);
    } finally {
      await store.close();
    }
  });

  it('anything else is refused with a message naming EVENT_STORE_URL and hiding credentials', () => {
    expect(() => createEventStore('postgres://user:secret@db/x')).toThrow(/EVENT_STORE_URL/);
    expect(() => createEventStore('postgres://user:secret@db/x')).not.toThrow(/secret/);
    expect(() => createEventStore('sqlite:')).toThrow(/EVENT_STORE_URL/);
    // Configuration errors the client finds (here: a CA file that is not there) also name the variable.
    expect(() => createEventStore('kurrentdb://admin:secret@h:2113?tlsCAFile=/nonexistent/ca.pem')).toThrow(
      /EVENT_STORE_URL/,
    );
    expect(() => createEventStore('kurrentdb://admin:secret@h:2113?tlsCAFile=/nonexistent/ca.pem')).not.toThrow(
      /secret/,
    );
  });

  it('describes a KurrentDB store without user, password or query', async () => {
    const store = createEventStore('kurrentdb://admin:changeit@db-1:2113,db-2:2113?tls=false&connectionName=payroll');
    try {
      expect(store.description).toBe('kurrentdb://db-1:2113,db-2:2113');
    } finally {
      await store.close();
    }
  });

  describe('an unreachable KurrentDB', () => {
    let blackHole: Server;
    const sockets = new Set<Socket>();
    let port = 0;

    beforeAll(async () => {
      // Accepts TCP connections and never answers: the worst case for a health probe.
      blackHole = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      port = (blackHole.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    });

    it('refused connection: creation does not throw, ping() rejects with EventStoreUnavailableError quickly', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const closedPort = (probe.address() as { port: number }).port;
      await new Promise((resolve) => probe.close(resolve));

      const store = createEventStore(`kurrentdb://admin:changeit@127.0.0.1:${closedPort}?tls=false`);
      try {
        const started = Date.now();
        const error = await store.ping().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(EventStoreUnavailableError);
        expect((error as Error).message).not.toContain('changeit');
        expect(Date.now() - started).toBeLessThan(4000);
      } finally {
        await store.close();
      }
    });

    it('silent server: ping() gives up at its deadline with EventStoreUnavailableError', async () => {
      const store = createEventStore(`kurrentdb://127.0.0.1:${port}?tls=false`, { kurrentdb: { pingTimeoutMs: 800 } });
      try {
        const started = Date.now();
        await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(4000);
      } finally {
        await store.close();
      }
    });
  });
});
