import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUSTO, type GustoApi } from '../../../src/application/ports/gusto.port';
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { AesGcmVault } from '../../../src/adapters/outbound/vault/aes-gcm-vault';
import { keyIdOf } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/app-config';
import { createApp } from '../../../src/bootstrap';
import { TEST_ADMIN_TOKEN, TEST_ENCRYPTION_KEY, tempDataDir, testEnv } from '../../support/service';
import {
  ACUMATICA_CLIENT_SECRET,
  ACUMATICA_PASSWORD,
  authorize,
  createConnection,
  GUSTO_CLIENT_SECRET,
  startWorld,
} from './harness';
import { goodMapping } from './fixtures';

const COOKIE_PASSWORD = 'Cookie-Only-Passw0rd-77';

describe('no secret in any response, log line or byte of the SQLite file', () => {
  it('after create, OAuth dance, ping, mapping, refresh, errors and shutdown', async () => {
    const world = await startWorld();
    const keep = world.service.dataDir;
    const company = world.gusto.scenario.createCompany({ name: 'Secretive Co' } as never);
    world.gusto.scenario.createEmployee(company.uuid, {}, true);
    const id = await createConnection(world);
    const cookie = await createConnection(
      world,
      { auth: { kind: 'cookie', username: 'api.gusto', password: COOKIE_PASSWORD } },
      'Cookie',
    );
    const created = world.responses.join('\n');
    expect(created).toContain(id);

    expect((await authorize(world, id, company.uuid)).status).toBe(200);
    expect((await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping())).status).toBe(200);
    await world.api('POST', `/api/connections/${id}/ping`);
    await world.api('POST', `/api/connections/${cookie}/ping`); // wrong password: Acumatica's refusal, not ours
    await world.api('GET', '/api/connections');
    await world.api('GET', `/api/connections/${id}`);
    await world.api('POST', '/api/connections', {
      name: 'x',
      acumatica: {
        baseUrl: 'ftp://x',
        tenant: '',
        endpointVersion: '1',
        auth: {
          kind: 'oauth2',
          clientId: 'nope',
          clientSecret: ACUMATICA_CLIENT_SECRET,
          username: 'u',
          password: ACUMATICA_PASSWORD,
        },
      },
    });
    await world.api('GET', '/api/connections', undefined, { Authorization: 'Bearer wrong-token-but-long-enough' });
    const gusto = world.service.app.get<GustoApi>(GUSTO);
    await gusto.listEmployees(id);
    world.clock.advance(2 * 3600_000);
    await gusto.listEmployees(id);
    expect(world.gusto.stats.refreshCalls).toBe(1);

    // Every Gusto token the connector ever held, opened from the log with the test key.
    const store = world.service.app.get<EventStore>(EVENT_STORE);
    const key = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');
    const vault = new AesGcmVault({ id: keyIdOf(key), key });
    const gustoTokens: string[] = [];
    for (const e of await store.readStream(`gusto-credentials-${company.uuid}`)) {
      const data = e.data as {
        accessToken?: { keyId: string; sealed: string };
        refreshToken?: { keyId: string; sealed: string };
      };
      if (data.accessToken) gustoTokens.push(vault.open(data.accessToken, `gusto-credentials-${company.uuid}:access`));
      if (data.refreshToken)
        gustoTokens.push(vault.open(data.refreshToken, `gusto-credentials-${company.uuid}:refresh`));
    }
    expect(gustoTokens).toHaveLength(4);

    const logs = world.service.logs;
    await world.service.app.close();
    const secrets = [
      ACUMATICA_PASSWORD,
      ACUMATICA_CLIENT_SECRET,
      COOKIE_PASSWORD,
      GUSTO_CLIENT_SECRET,
      TEST_ADMIN_TOKEN,
      TEST_ENCRYPTION_KEY,
      ...gustoTokens,
    ];
    const bytes = ['ml-connector.db', 'ml-connector.db-wal', 'ml-connector.db-shm']
      .map((f) => join(keep, f))
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes).toContain('ConnectionCreated'); // the scan reads the real log
    const responses = world.responses.join('\n');
    expect(logs.length).toBeGreaterThan(3);
    for (const secret of secrets) {
      expect({ secret: secret.slice(0, 4), inResponses: responses.includes(secret) }).toEqual({
        secret: secret.slice(0, 4),
        inResponses: false,
      });
      expect({ secret: secret.slice(0, 4), inLogs: logs.some((l) => l.includes(secret)) }).toEqual({
        secret: secret.slice(0, 4),
        inLogs: false,
      });
      expect({ secret: secret.slice(0, 4), inDb: bytes.includes(secret) }).toEqual({
        secret: secret.slice(0, 4),
        inDb: false,
      });
    }
    await world.close();
  });
});

describe('encryption key check at start-up', () => {
  it('a wrong MLC_ENCRYPTION_KEY stops the start with a clear error; the old key as previous lets it start', async () => {
    const dir = tempDataDir();
    const first = await createApp(loadConfig(testEnv(dir)), { logSink: () => undefined });
    await first.init();
    await first.close();

    const otherKey = Buffer.alloc(32, 9).toString('base64');
    const wrong = loadConfig(testEnv(dir, { MLC_ENCRYPTION_KEY: otherKey }));
    const failure = await (async () => {
      const app = await createApp(wrong, { logSink: () => undefined });
      try {
        await app.init();
      } finally {
        await app.close().catch(() => undefined);
      }
    })().catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/MLC_ENCRYPTION_KEY cannot open the credentials already stored/);

    const lines: string[] = [];
    const rotated = await createApp(
      loadConfig(testEnv(dir, { MLC_ENCRYPTION_KEY: otherKey, MLC_ENCRYPTION_KEYS_PREVIOUS: TEST_ENCRYPTION_KEY })),
      { logSink: (l) => lines.push(l) },
    );
    await rotated.init();
    await rotated.close();
    expect(lines.some((l) => l.includes('sealed with a previous encryption key'))).toBe(true);
  });
});
