/**
 * The audit API never returns a sealed secret's ciphertext (its length tells the secret's length), nor an API
 * key's hash: Acumatica passwords and client secrets, Gusto tokens, the PKCE verifier — over real HTTP, against
 * every sealed value actually in the store.
 */
import { EVENT_STORE, type EventStore } from '../../../src/application/ports/event-store.port';
import { postingWithStatus, postingWorld, type PostingWorld } from '../postings/support';

/** Every `{ keyId, sealed }` ciphertext and every `secretSha256` inside a value. */
function secretsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => secretsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'sealed' || k === 'secretSha256') && typeof v === 'string') found.push(v);
      else secretsIn(v, found);
    }
  }
  return found;
}

describe('audit answers: no sealed secrets', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('GET /api/audit/events and a posting’s events show [sealed] where the store holds ciphertext', async () => {
    expect((await world.api('POST', '/api/keys', { name: 'auditor', role: 'auditor', connections: '*' })).status).toBe(
      201,
    );
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 }) as { uuid: string };
    await postingWithStatus(world, payroll.uuid, 'posted');

    const stored = await world.service.app.get<EventStore>(EVENT_STORE).readAll();
    const secrets = secretsIn(stored.map((e) => e.data));
    // The scan has something to find: passwords, the client secret, Gusto tokens, the PKCE verifier, the key hash.
    expect(secrets.length).toBeGreaterThanOrEqual(5);

    const answers = [
      await world.api('GET', '/api/audit/events?limit=1000'),
      await world.api('GET', `/api/audit/events?connectionId=${world.connectionId}&limit=1000`),
      await world.api('GET', `/api/postings/${encodeURIComponent(`${world.connectionId}:${payroll.uuid}`)}/events`),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const all = answers[0].body.items as Array<{ type: string; data: any }>;
    const created = all.find((e) => e.type === 'ConnectionCreated')!;
    expect(created.data.acumatica.auth.password).toEqual({ keyId: expect.any(String), sealed: '[sealed]' });
    expect(created.data.acumatica.auth.clientSecret.sealed).toBe('[sealed]');
    expect(all.find((e) => e.type === 'GustoAuthorizationStarted')!.data.codeVerifier.sealed).toBe('[sealed]');
    expect(all.find((e) => e.type === 'ApiKeyCreated')!.data.secretSha256).toBe('[sealed]');
  });
});
