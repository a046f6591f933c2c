import { WebhookIntake } from '../../../../src/application/inbox/webhook-intake';
import { WebhookKeyring, fingerprintOf } from '../../../../src/application/inbox/webhook-keyring';
import { WEBHOOK_KEY_STREAM, inboxStream } from '../../../../src/application/inbox/inbox-events';
import { silentLogger } from '../../../../src/application/inbox/inbox-logger';
import { signBody } from '../../../../src/application/inbox/webhook-signature';
import { InMemoryMetricsRegistry } from '../../../../src/application/metrics/metrics-registry';
import { FixedClock, fakeVault, tempStore } from './fakes';

const TOKEN = 'configured-verification-token';
const body = (fields: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(fields));
const event = (uuid: string, extra: Record<string, unknown> = {}): Buffer =>
  body({ uuid, event_type: 'payroll.processed', resource_type: 'Company', resource_uuid: 'company-1', entity_type: 'Payroll', entity_uuid: 'payroll-1', timestamp: 1769017503, ...extra });

function setup(configured: string | null = TOKEN) {
  const fixture = tempStore();
  const clock = new FixedClock();
  const metrics = new InMemoryMetricsRegistry();
  const keyring = new WebhookKeyring(fixture.store, fakeVault, clock, silentLogger, configured ?? undefined);
  const intake = new WebhookIntake(fixture.store, keyring, metrics, clock, silentLogger);
  const counted = (outcome: string): number => {
    const line = metrics.render().split('\n').find((l) => l.startsWith(`mlc_webhooks_total{outcome="${outcome}"}`));
    return line ? Number(line.split(' ')[1]) : 0;
  };
  return { ...fixture, clock, metrics, keyring, intake, counted };
}

describe('WebhookIntake', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(async () => ctx.cleanup());

  it('records a signed event once in gusto-webhook-<uuid> and answers 200 accepted', async () => {
    ctx = setup();
    const raw = event('evt-1');
    const result = await ctx.intake.receive(raw, signBody(raw, TOKEN));
    expect(result).toEqual({ status: 200, outcome: 'accepted', eventUuid: 'evt-1' });
    const stored = await ctx.store.readStream(inboxStream('evt-1'));
    expect(stored).toHaveLength(1);
    expect(stored[0].type).toBe('GustoWebhookReceived');
    expect(stored[0].data).toMatchObject({ eventUuid: 'evt-1', eventType: 'payroll.processed', companyUuid: 'company-1', entityUuid: 'payroll-1', occurredAt: '2026-01-21T17:45:03.000Z', receivedAt: '2026-01-21T17:45:05.000Z' });
    expect(stored[0].metadata).toMatchObject({ correlationId: 'evt-1', causationId: 'evt-1', actor: 'webhook' });
    expect(ctx.counted('accepted')).toBe(1);
  });

  it('answers 10 concurrent copies and a late redelivery with 200, storing one record', async () => {
    ctx = setup();
    const raw = event('evt-dup');
    const signature = signBody(raw, TOKEN);
    const results = await Promise.all(Array.from({ length: 10 }, () => ctx.intake.receive(raw, signature)));
    const late = await ctx.intake.receive(raw, signature);
    expect([...results, late].every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(late.outcome).toBe('duplicate');
    expect(await ctx.store.readStream(inboxStream('evt-dup'))).toHaveLength(1);
    expect(ctx.counted('duplicate')).toBe(10);
  });

  it.each([
    ['missing', undefined],
    ['wrong key', 'x'],
    ['wrong length', 'abcd'],
  ])('refuses a %s signature with 401 and stores nothing', async (_name, which) => {
    ctx = setup();
    const raw = event('evt-bad');
    const header = which === 'x' ? signBody(raw, 'not-the-token') : which;
    expect(await ctx.intake.receive(raw, header)).toEqual({ status: 401, outcome: 'bad_signature' });
    expect(await ctx.store.readStream(inboxStream('evt-bad'))).toHaveLength(0);
    expect(ctx.counted('bad_signature')).toBe(1);
  });

  it('checks the signature before the body: bad JSON with a bad signature is a 401', async () => {
    ctx = setup();
    expect((await ctx.intake.receive(Buffer.from('{not json'), 'ab'.repeat(32))).status).toBe(401);
  });

  it.each([
    ['not JSON', Buffer.from('{not json')],
    ['empty', Buffer.alloc(0)],
    ['an array', body([] as unknown as Record<string, unknown>)],
    ['missing uuid', body({ event_type: 'payroll.processed', resource_uuid: 'c', entity_uuid: 'p' })],
    ['missing event_type', body({ uuid: 'u', resource_uuid: 'c', entity_uuid: 'p' })],
    ['missing entity_uuid', body({ uuid: 'u', event_type: 'payroll.processed', resource_uuid: 'c' })],
    ['missing resource_uuid', body({ uuid: 'u', event_type: 'payroll.processed', entity_uuid: 'p' })],
    ['a uuid with a path separator', body({ uuid: '../x', event_type: 'payroll.processed', resource_uuid: 'c', entity_uuid: 'p' })],
    ['a non-number timestamp', body({ uuid: 'u', event_type: 'payroll.processed', resource_uuid: 'c', entity_uuid: 'p', timestamp: 'soon' })],
  ])('answers a signed body that is %s with 400 malformed', async (_name, raw) => {
    ctx = setup();
    const result = await ctx.intake.receive(raw, signBody(raw, TOKEN));
    expect(result.status).toBe(400);
    expect(result.outcome).toBe('malformed');
    expect(result.reason).toEqual(expect.any(String));
    expect(ctx.counted('malformed')).toBe(1);
  });

  describe('subscription verification handshake', () => {
    const handshake = body({ verification_token: 'f3b1c0de-7a6b-4c5d-9e8f-0123456789ab' });

    it('adopts the first token when none is configured, sealed, and then verifies events with it', async () => {
      ctx = setup(null);
      const before = event('evt-early');
      expect((await ctx.intake.receive(before, signBody(before, 'anything'))).status).toBe(401);

      expect(await ctx.intake.receive(handshake, undefined)).toEqual({ status: 200, outcome: 'verification' });
      const stored = await ctx.store.readStream(WEBHOOK_KEY_STREAM);
      expect(stored.map((e) => e.type)).toEqual(['WebhookVerificationTokenAdopted']);
      expect(JSON.stringify(stored[0].data)).not.toContain('f3b1c0de-7a6b-4c5d-9e8f-0123456789ab');
      expect(stored[0].data).toMatchObject({ fingerprint: fingerprintOf('f3b1c0de-7a6b-4c5d-9e8f-0123456789ab') });

      const raw = event('evt-after');
      expect((await ctx.intake.receive(raw, signBody(raw, 'f3b1c0de-7a6b-4c5d-9e8f-0123456789ab'))).outcome).toBe('accepted');
    });

    it('keeps the adopted token across a restart and does not let a second handshake replace it', async () => {
      ctx = setup(null);
      await ctx.intake.receive(handshake, undefined);
      const restarted = new WebhookIntake(ctx.store, new WebhookKeyring(ctx.store, fakeVault, ctx.clock, silentLogger), ctx.metrics, ctx.clock, silentLogger);
      const intruder = body({ verification_token: 'attacker-chosen-token-123' });
      expect((await restarted.receive(intruder, undefined)).status).toBe(200);
      const forged = event('evt-forged');
      expect((await restarted.receive(forged, signBody(forged, 'attacker-chosen-token-123'))).status).toBe(401);
      const genuine = event('evt-genuine');
      expect((await restarted.receive(genuine, signBody(genuine, 'f3b1c0de-7a6b-4c5d-9e8f-0123456789ab'))).outcome).toBe('accepted');
      const types = (await ctx.store.readStream(WEBHOOK_KEY_STREAM)).map((e) => e.type);
      expect(types).toEqual(['WebhookVerificationTokenAdopted', 'WebhookVerificationTokenNotAdopted']);
    });

    it('answers the handshake but keeps using GUSTO_WEBHOOK_VERIFICATION_TOKEN when it is set', async () => {
      ctx = setup(TOKEN);
      expect(await ctx.intake.receive(handshake, undefined)).toEqual({ status: 200, outcome: 'verification' });
      const stored = await ctx.store.readStream(WEBHOOK_KEY_STREAM);
      expect(stored.map((e) => e.type)).toEqual(['WebhookVerificationTokenNotAdopted']);
      const raw = event('evt-env');
      expect((await ctx.intake.receive(raw, signBody(raw, TOKEN))).outcome).toBe('accepted');
      expect(ctx.counted('verification')).toBe(1);
    });

    it('does not let a flood of handshakes grow the store: rejected tokens are recorded a few times an hour', async () => {
      ctx = setup(TOKEN);
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.intake.receive(body({ verification_token: `flood-token-${i}-xxxx` }), undefined)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const recorded = await ctx.store.readStream(WEBHOOK_KEY_STREAM);
      expect(recorded.length).toBeLessThanOrEqual(10);
      expect(ctx.counted('verification')).toBe(50);
    });

    it('does not treat an event that also carries verification_token as a handshake', async () => {
      ctx = setup(null);
      const sneaky = event('evt-sneaky', { verification_token: 'sneaky-token-1234' });
      expect((await ctx.intake.receive(sneaky, signBody(sneaky, 'sneaky-token-1234'))).status).toBe(401);
      expect(await ctx.store.readStream(WEBHOOK_KEY_STREAM)).toHaveLength(0);
    });
  });

  describe('confirming the subscription to Gusto', () => {
    it('confirms only the token it verifies signatures with, after answering', async () => {
      ctx = setup(TOKEN);
      const asked: string[] = [];
      const intake = new WebhookIntake(ctx.store, ctx.keyring, ctx.metrics, ctx.clock, silentLogger, { verifyPending: async (t) => (asked.push(t), ['sub-1']) }, 0);
      await intake.receive(Buffer.from(JSON.stringify({ verification_token: 'some-other-token-123' })), undefined);
      await intake.lastHandshake;
      expect(asked).toEqual([]);
      await intake.receive(Buffer.from(JSON.stringify({ verification_token: TOKEN })), undefined);
      await intake.lastHandshake;
      expect(asked).toEqual([TOKEN]);
      const verified = (await ctx.store.readStream(WEBHOOK_KEY_STREAM)).filter((e) => e.type === 'WebhookSubscriptionVerified');
      expect(verified.map((e) => e.data)).toEqual([expect.objectContaining({ subscriptionUuid: 'sub-1', fingerprint: fingerprintOf(TOKEN) })]);
    });

    it('still answers 200 when confirming fails (the operator can verify in the portal)', async () => {
      ctx = setup(null);
      const intake = new WebhookIntake(ctx.store, ctx.keyring, ctx.metrics, ctx.clock, silentLogger, { verifyPending: async () => { throw new Error('Gusto down'); } }, 0);
      expect((await intake.receive(Buffer.from(JSON.stringify({ verification_token: 'first-token-abc' })), undefined)).status).toBe(200);
      await intake.lastHandshake;
    });
  });
});
