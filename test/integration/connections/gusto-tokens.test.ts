import { GUSTO, type GustoApi } from '../../../src/application/ports/gusto.port';
import { AesGcmVault } from '../../../src/adapters/outbound/vault/aes-gcm-vault';
import { keyIdOf } from '../../../src/config/app-config';
import {
  foldCredentials,
  gustoCredentialsStream,
  type GustoCredentialsEvent,
} from '../../../src/domain/connection/gusto-credentials';
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { TEST_ENCRYPTION_KEY } from '../../support/service';
import { authorize, connectedWorld, GUSTO_CLIENT_ID, GUSTO_CLIENT_SECRET, type World } from './harness';

const TWO_HOURS = 2 * 3600_000;

describe('Gusto tokens: refresh ahead of expiry, single-flight, invalid_grant (service + Gusto sandbox)', () => {
  let world: World & { connectionId: string; companyUuid: string };
  let gusto: GustoApi;
  beforeEach(async () => {
    world = await connectedWorld();
    world.gusto.scenario.createEmployee(world.companyUuid, { department: 'Engineering' });
    gusto = world.service.app.get<GustoApi>(GUSTO);
  });
  afterEach(async () => world?.close());

  it('uses the stored token until it nears expiry, then refreshes once', async () => {
    await gusto.listEmployees(world.connectionId);
    await gusto.listEmployees(world.connectionId);
    expect(world.gusto.stats.refreshCalls).toBe(0);
    world.clock.advance(TWO_HOURS);
    expect(await gusto.listEmployees(world.connectionId)).toHaveLength(1);
    await gusto.listEmployees(world.connectionId);
    expect(world.gusto.stats.refreshCalls).toBe(1);
    expect(world.gusto.stats.invalidGrants).toBe(0);
  });

  it('20 concurrent calls at expiry cost exactly one refresh', async () => {
    world.clock.advance(TWO_HOURS - 30_000); // inside the 60 s refresh margin
    const results = await Promise.all(Array.from({ length: 20 }, () => gusto.listEmployees(world.connectionId)));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(world.gusto.stats.refreshCalls).toBe(1);
    expect(world.gusto.stats.invalidGrants).toBe(0);
  });

  it('a 401 on a token believed valid refreshes (single-flight) and retries once', async () => {
    // The sandbox clock runs ahead of ours: Gusto considers the token expired, we do not.
    world.gusto.clock.advance(TWO_HOURS + 1000);
    const results = await Promise.all(Array.from({ length: 5 }, () => gusto.listEmployees(world.connectionId)));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(world.gusto.stats.refreshCalls).toBe(1);
  });

  it.each([400, 401] as const)(
    'invalid_grant (HTTP %i) marks the connection needs_reauthorization, visible in GET and ping, with no retry storm',
    async (status) => {
      world.gusto.knobs.invalidGrantStatus = status;
      // Someone else spends our refresh token (a restored backup, a second installation): rotate it out from under us.
      const store = world.service.app.get<EventStore>(EVENT_STORE);
      const key = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');
      const vault = new AesGcmVault({ id: keyIdOf(key), key });
      const events = (await store.readStream(gustoCredentialsStream(world.companyUuid))).map(
        (e) => ({ type: e.type, data: e.data }) as GustoCredentialsEvent,
      );
      const refresh = vault.open(
        foldCredentials(events).tokens!.refreshToken,
        `gusto-credentials-${world.companyUuid}:refresh`,
      );
      const stolen = (await await fetch(`${world.gusto.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: GUSTO_CLIENT_ID,
          client_secret: GUSTO_CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token: refresh,
        }),
      }).then((r) => r.json())) as { access_token: string };
      await fetch(`${world.gusto.url}/v1/token_info`, {
        headers: { authorization: `Bearer ${stolen.access_token}`, 'x-gusto-api-version': '2026-06-15' },
      });
      const refreshesBefore = world.gusto.stats.refreshCalls;

      world.clock.advance(TWO_HOURS);
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, () => gusto.listEmployees(world.connectionId)),
      );
      expect(
        attempts.every(
          (a) => a.status === 'rejected' && (a.reason as { kind: string }).kind === 'needs_reauthorization',
        ),
      ).toBe(true);
      for (let i = 0; i < 5; i++)
        await expect(gusto.getEmployee(world.connectionId, 'x')).rejects.toMatchObject({
          kind: 'needs_reauthorization',
        });
      expect(world.gusto.stats.refreshCalls - refreshesBefore).toBe(1);
      expect(world.gusto.stats.invalidGrants).toBe(1);

      const view = await world.api('GET', `/api/connections/${world.connectionId}`);
      expect(view.body.gusto).toEqual({ companyUuid: world.companyUuid, status: 'needs_reauthorization' });
      const ping = await world.api('POST', `/api/connections/${world.connectionId}/ping`);
      expect(ping.body.gusto.ok).toBe(false);
      expect(ping.body.gusto.error).toMatch(/needs_reauthorization/);
      expect(world.gusto.stats.refreshCalls - refreshesBefore).toBe(1);

      // A person authorizes again: connected, and calls work with the new grant.
      expect((await authorize(world, world.connectionId, world.companyUuid)).status).toBe(200);
      expect((await world.api('GET', `/api/connections/${world.connectionId}`)).body.gusto.status).toBe('connected');
      expect(await gusto.listEmployees(world.connectionId)).toHaveLength(1);
    },
  );

  it('Gusto token endpoint down: a retryable error, the lease released, the next call refreshes', async () => {
    world.clock.advance(TWO_HOURS);
    world.gusto.knobs.failNext('/oauth/token', 1, 503);
    await expect(gusto.listEmployees(world.connectionId)).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect(await gusto.listEmployees(world.connectionId)).toHaveLength(1);
    const store = world.service.app.get<EventStore>(EVENT_STORE);
    const types = (await store.readStream(gustoCredentialsStream(world.companyUuid))).map((e) => e.type);
    expect(types).toEqual([
      'GustoTokensIssued',
      'RefreshLeaseTaken',
      'RefreshLeaseReleased',
      'RefreshLeaseTaken',
      'TokensRotated',
    ]);
    expect((await world.api('GET', `/api/connections/${world.connectionId}`)).body.gusto.status).toBe('connected');
  });

  it('a lease left by a crashed worker is waited out, then the token is refreshed once', async () => {
    const store = world.service.app.get<EventStore>(EVENT_STORE);
    world.clock.advance(TWO_HOURS);
    const until = new Date(world.clock.now().getTime() + 20_000).toISOString();
    await store.append(
      gustoCredentialsStream(world.companyUuid),
      [
        {
          type: 'RefreshLeaseTaken',
          data: { holder: 'crashed-worker', until, takenAt: world.clock.now().toISOString() },
        },
      ],
      'stream_exists',
    );
    let settled = false;
    const call = gusto.listEmployees(world.connectionId).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false); // waiting for the other holder's rotation
    expect(world.gusto.stats.refreshCalls).toBe(0);
    world.clock.advance(21_000);
    expect(await call).toHaveLength(1);
    expect(world.gusto.stats.refreshCalls).toBe(1);
  });

  it('ping survives a token Gusto already considers expired (401 → refresh → retry)', async () => {
    world.gusto.clock.advance(TWO_HOURS + 1000);
    const ping = await world.api('POST', `/api/connections/${world.connectionId}/ping`);
    expect(ping.body.gusto).toEqual({ ok: true, companyUuid: world.companyUuid, companyName: 'Acme Payroll Co' });
    expect(world.gusto.stats.refreshCalls).toBe(1);
  });
});
