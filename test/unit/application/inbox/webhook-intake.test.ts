import { WebhookIntake } from '../../../../src/application/inbox/webhook-intake';
import { WebhookKeyring, fingerprintOf } from '../../../../src/application/inbox/webhook-keyring';
import { WEBHOOK_KEY_STREAM, inboxStream } from '../../../../src/application/inbox/inbox-events';
import { silentLogger } from '../../../../src/application/inbox/inbox-logger';
import type { WebhookSubscriptionVerifier } from '../../../../src/application/inbox/subscription-verifier';
import { signBody } from '../../../../src/application/inbox/webhook-signature';
import { PrometheusMetrics } from '../../../../src/adapters/metrics/prometheus-metrics';
import { fixedClock, fakeVault, tempStore } from './fakes';

const TOKEN = 'configured-verification-token';
const GUSTO_TOKEN = 'f3b1c0de-7a6b-4c5d-9e8f-0123456789ab';
const COMPANY = '4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13';
const PAYROLL = 'c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48';
/** A fixed, readable UUID per name: `uuidOf(1)` → 00000000-0000-4000-8000-000000000001. */
const uuidOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const body = (fields: unknown): Buffer => Buffer.from(JSON.stringify(fields));
const event = (uuid: string, extra: Record<string, unknown> = {}): Buffer =>
  body({
    uuid,
    event_type: 'payroll.processed',
    resource_type: 'Company',
    resource_uuid: COMPANY,
    entity_type: 'Payroll',
    entity_uuid: PAYROLL,
    timestamp: 1769017503,
    ...extra,
  });

/** Gusto's verify call, as the sandbox answers it: only the subscription's own token is accepted. */
const gustoAccepting = (token: string, asked: string[] = []): WebhookSubscriptionVerifier => ({
  verifyPending: async (t) => {
    asked.push(t);
    return t === token ? ['sub-1'] : [];
  },
});

function setup(configured: string | null = TOKEN, verifier: WebhookSubscriptionVerifier = gustoAccepting(GUSTO_TOKEN)) {
  const fixture = tempStore();
  const clock = fixedClock();
  const metrics = new PrometheusMetrics();
  const keyring = new WebhookKeyring(
    fixture.store,
    fakeVault,
    clock,
    silentLogger,
    configured ?? undefined,
    undefined,
    verifier,
  );
  const intake = new WebhookIntake(fixture.store, keyring, metrics, clock, silentLogger, 0);
  const counted = async (outcome: string): Promise<number> => {
    const line = (await metrics.render())
      .split('\n')
      .find((l) => l.startsWith(`mlc_webhooks_total{outcome="${outcome}"}`));
    return line ? Number(line.split(' ')[1]) : 0;
  };
  /** Sends an unsigned handshake and waits for its confirmation with Gusto. */
  const handshake = async (token: string, via = intake) => {
    const result = await via.receive(body({ verification_token: token }), undefined);
    await via.lastHandshake;
    return result;
  };
  return { ...fixture, clock, metrics, keyring, intake, counted, handshake };
}

const keyEvents = async (ctx: ReturnType<typeof setup>): Promise<string[]> =>
  (await ctx.store.readStream(WEBHOOK_KEY_STREAM)).map((e) => e.type);

describe('WebhookIntake', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(async () => ctx.cleanup());

  it('records a signed event once in gusto-webhook-<uuid> and answers accepted', async () => {
    ctx = setup();
    const raw = event(uuidOf(1));
    const result = await ctx.intake.receive(raw, signBody(raw, TOKEN));
    expect(result).toEqual({ outcome: 'accepted', eventUuid: uuidOf(1) });
    const stored = await ctx.store.readStream(inboxStream(uuidOf(1)));
    expect(stored).toHaveLength(1);
    expect(stored[0].type).toBe('GustoWebhookReceived');
    expect(stored[0].data).toMatchObject({
      eventUuid: uuidOf(1),
      eventType: 'payroll.processed',
      companyUuid: COMPANY,
      entityUuid: PAYROLL,
      occurredAt: '2026-01-21T17:45:03.000Z',
      receivedAt: '2026-01-21T17:45:05.000Z',
    });
    expect(stored[0].metadata).toMatchObject({ correlationId: uuidOf(1), causationId: uuidOf(1), actor: 'webhook' });
    expect(await ctx.counted('accepted')).toBe(1);
  });

  it('answers 10 concurrent copies and a late redelivery, storing one record', async () => {
    ctx = setup();
    const raw = event(uuidOf(2));
    const signature = signBody(raw, TOKEN);
    const results = await Promise.all(Array.from({ length: 10 }, () => ctx.intake.receive(raw, signature)));
    const late = await ctx.intake.receive(raw, signature);
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(9);
    expect(late.outcome).toBe('duplicate');
    expect(await ctx.store.readStream(inboxStream(uuidOf(2)))).toHaveLength(1);
    expect(await ctx.counted('duplicate')).toBe(10);
  });

  it.each([
    ['missing', undefined],
    ['wrong key', 'x'],
    ['wrong length', 'abcd'],
  ])('refuses a %s signature and stores nothing', async (_name, which) => {
    ctx = setup();
    const raw = event(uuidOf(3));
    const header = which === 'x' ? signBody(raw, 'not-the-token') : which;
    expect(await ctx.intake.receive(raw, header)).toEqual({ outcome: 'bad_signature' });
    expect(await ctx.store.readStream(inboxStream(uuidOf(3)))).toHaveLength(0);
    expect(await ctx.counted('bad_signature')).toBe(1);
  });

  it('checks the signature before the body: bad JSON with a bad signature is refused as unsigned', async () => {
    ctx = setup();
    expect((await ctx.intake.receive(Buffer.from('{not json'), 'ab'.repeat(32))).outcome).toBe('bad_signature');
  });

  const nested = (depth: number): Buffer => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);

  it.each([
    ['signed', true],
    ['unsigned', false],
  ])('refuses a %s body nested 200,000 levels deep as malformed before parsing it', async (_name, signed) => {
    ctx = setup();
    const raw = nested(200_000);
    const result = await ctx.intake.receive(raw, signed ? signBody(raw, TOKEN) : undefined);
    expect(result).toMatchObject({ outcome: 'malformed', field: 'body', reason: expect.stringMatching(/nested/) });
    const deepHandshake = Buffer.from(`{"verification_token":"${GUSTO_TOKEN}","x":${nested(100).toString()}}`);
    expect((await ctx.intake.receive(deepHandshake, undefined)).outcome).toBe('malformed');
    expect(await keyEvents(ctx)).toEqual([]);
  });

  it('parses bodies nested as deep as the limit allows, and counts brackets inside strings as text', async () => {
    ctx = setup();
    const raw = event(uuidOf(4), {
      extra: JSON.parse(nested(30).toString()) as unknown,
      note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
    });
    expect((await ctx.intake.receive(raw, signBody(raw, TOKEN))).outcome).toBe('accepted');
  });

  it.each([
    ['not JSON', Buffer.from('{not json'), 'body'],
    ['empty', Buffer.alloc(0), 'body'],
    ['an array', body([]), undefined],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"uuid":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), 'body'],
    ['missing uuid', body({ event_type: 'payroll.processed', resource_uuid: COMPANY, entity_uuid: PAYROLL }), 'uuid'],
    ['missing event_type', body({ uuid: uuidOf(5), resource_uuid: COMPANY, entity_uuid: PAYROLL }), 'event_type'],
    [
      'missing entity_uuid',
      body({ uuid: uuidOf(5), event_type: 'payroll.processed', resource_uuid: COMPANY }),
      'entity_uuid',
    ],
    [
      'missing resource_uuid',
      body({ uuid: uuidOf(5), event_type: 'payroll.processed', entity_uuid: PAYROLL }),
      'resource_uuid',
    ],
    [
      'a uuid with a path separator',
      body({ uuid: '../x', event_type: 'payroll.processed', resource_uuid: COMPANY, entity_uuid: PAYROLL }),
      'uuid',
    ],
    [
      'an entity_uuid that is a path',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: '../../v1/companies',
      }),
      'entity_uuid',
    ],
    [
      'a resource_uuid that is not a UUID',
      body({ uuid: uuidOf(5), event_type: 'payroll.processed', resource_uuid: 'company-1', entity_uuid: PAYROLL }),
      'resource_uuid',
    ],
    [
      'a number where Gusto sends a string',
      body({ uuid: uuidOf(5), event_type: 42, resource_uuid: COMPANY, entity_uuid: PAYROLL }),
      'event_type',
    ],
    [
      'an entity_type that is an object',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: PAYROLL,
        entity_type: { a: 1 },
      }),
      'entity_type',
    ],
    [
      'an event_type that is not <entity>.<action>',
      body({ uuid: uuidOf(5), event_type: 'DROP TABLE', resource_uuid: COMPANY, entity_uuid: PAYROLL }),
      'event_type',
    ],
    [
      'a non-number timestamp',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: PAYROLL,
        timestamp: 'soon',
      }),
      'timestamp',
    ],
    [
      'a fractional timestamp',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: PAYROLL,
        timestamp: 1769017503.5,
      }),
      'timestamp',
    ],
    [
      'a timestamp in the year 2000',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: PAYROLL,
        timestamp: 946684800,
      }),
      'timestamp',
    ],
    [
      'a timestamp of 1e20',
      body({
        uuid: uuidOf(5),
        event_type: 'payroll.processed',
        resource_uuid: COMPANY,
        entity_uuid: PAYROLL,
        timestamp: 1e20,
      }),
      'timestamp',
    ],
  ])('refuses a signed body that is %s as malformed, naming the field, storing nothing', async (_name, raw, field) => {
    ctx = setup();
    const result = await ctx.intake.receive(raw, signBody(raw, TOKEN));
    expect(result.outcome).toBe('malformed');
    expect(result.reason).toEqual(expect.any(String));
    if (field) expect(result.field).toBe(field);
    expect(await ctx.counted('malformed')).toBe(1);
    expect(await ctx.store.readStream(inboxStream(uuidOf(5)))).toHaveLength(0);
  });

  it('keeps unknown extra fields in the stored body', async () => {
    ctx = setup();
    const raw = event(uuidOf(6), { references: { payroll_id: 17 } });
    expect((await ctx.intake.receive(raw, signBody(raw, TOKEN))).outcome).toBe('accepted');
    const [stored] = await ctx.store.readStream(inboxStream(uuidOf(6)));
    expect((stored.data as { body: Record<string, unknown> }).body.references).toEqual({ payroll_id: 17 });
  });

  describe('the signing key: never from an unauthenticated request alone', () => {
    it('without a configured token and without a handshake window, an unsigned handshake changes nothing', async () => {
      ctx = setup(null);
      expect(await ctx.handshake('attacker-chosen-token-123')).toEqual({ outcome: 'verification' });
      expect(await ctx.handshake(GUSTO_TOKEN)).toEqual({ outcome: 'verification' }); // even Gusto's own: no window
      expect(await keyEvents(ctx)).toEqual([
        'WebhookVerificationTokenNotAdopted',
        'WebhookVerificationTokenNotAdopted',
      ]);
      const forged = event(uuidOf(7));
      expect((await ctx.intake.receive(forged, signBody(forged, 'attacker-chosen-token-123'))).outcome).toBe(
        'bad_signature',
      );
      expect(await ctx.keyring.status()).toEqual({ source: 'none' });
    });

    it('inside an admin-opened window, adopts the token Gusto confirms — sealed, with the admin as actor — and verifies events with it', async () => {
      const asked: string[] = [];
      ctx = setup(null, gustoAccepting(GUSTO_TOKEN, asked));
      expect(await ctx.keyring.openHandshakeWindow('admin-token')).toEqual({
        ok: true,
        until: '2026-01-21T17:55:05.000Z',
      });
      await ctx.handshake(GUSTO_TOKEN);
      expect(asked).toEqual([GUSTO_TOKEN]);
      const stored = await ctx.store.readStream(WEBHOOK_KEY_STREAM);
      expect(stored.map((e) => e.type)).toEqual([
        'WebhookHandshakeWindowOpened',
        'WebhookVerificationTokenAdopted',
        'WebhookSubscriptionVerified',
      ]);
      const adopted = stored[1];
      expect(JSON.stringify(adopted.data)).not.toContain(GUSTO_TOKEN);
      expect(adopted.data).toMatchObject({
        fingerprint: fingerprintOf(GUSTO_TOKEN),
        confirmedSubscriptions: ['sub-1'],
        approvedBy: 'admin-token',
      });
      expect(adopted.metadata).toMatchObject({ actor: 'admin-token' });
      const raw = event(uuidOf(8));
      expect((await ctx.intake.receive(raw, signBody(raw, GUSTO_TOKEN))).outcome).toBe('accepted');
      expect(await ctx.keyring.status()).toEqual({ source: 'adopted', fingerprint: fingerprintOf(GUSTO_TOKEN) });
    });

    it('inside the window, a token Gusto does not confirm is not adopted', async () => {
      ctx = setup(null);
      await ctx.keyring.openHandshakeWindow('admin-token');
      await ctx.handshake('attacker-chosen-token-123');
      expect(await keyEvents(ctx)).toEqual(['WebhookHandshakeWindowOpened', 'WebhookVerificationTokenNotAdopted']);
      const forged = event(uuidOf(9));
      expect((await ctx.intake.receive(forged, signBody(forged, 'attacker-chosen-token-123'))).outcome).toBe(
        'bad_signature',
      );
    });

    it('the window closes after 10 minutes', async () => {
      ctx = setup(null);
      await ctx.keyring.openHandshakeWindow('admin-token');
      ctx.clock.advance(10 * 60_000 + 1);
      await ctx.handshake(GUSTO_TOKEN);
      expect(await keyEvents(ctx)).toEqual(['WebhookHandshakeWindowOpened', 'WebhookVerificationTokenNotAdopted']);
      expect((await ctx.keyring.status()).source).toBe('none');
    });

    it('keeps the adopted key across a restart; replacing it takes a new window and Gusto’s confirmation', async () => {
      let accepted = GUSTO_TOKEN;
      const gusto: WebhookSubscriptionVerifier = { verifyPending: async (t) => (t === accepted ? ['sub-1'] : []) };
      ctx = setup(null, gusto);
      await ctx.keyring.openHandshakeWindow('admin-token');
      await ctx.handshake(GUSTO_TOKEN);
      // A restart: a new keyring on the same store. The adoption consumed the window.
      const restarted = new WebhookIntake(
        ctx.store,
        new WebhookKeyring(ctx.store, fakeVault, ctx.clock, silentLogger, undefined, undefined, gusto),
        ctx.metrics,
        ctx.clock,
        silentLogger,
        0,
      );
      accepted = 'rotated-token-456789';
      await ctx.handshake('rotated-token-456789', restarted);
      const old = event(uuidOf(10));
      expect((await restarted.receive(old, signBody(old, GUSTO_TOKEN))).outcome).toBe('accepted');
      const early = event(uuidOf(11));
      expect((await restarted.receive(early, signBody(early, 'rotated-token-456789'))).outcome).toBe('bad_signature');
      // With a fresh window and Gusto's confirmation, the key moves.
      const keyring = new WebhookKeyring(ctx.store, fakeVault, ctx.clock, silentLogger, undefined, undefined, gusto);
      const rotated = new WebhookIntake(ctx.store, keyring, ctx.metrics, ctx.clock, silentLogger, 0);
      await keyring.openHandshakeWindow('admin-token');
      await ctx.handshake('rotated-token-456789', rotated);
      const late = event(uuidOf(12));
      expect((await rotated.receive(late, signBody(late, 'rotated-token-456789'))).outcome).toBe('accepted');
      const stale = event(uuidOf(13));
      expect((await rotated.receive(stale, signBody(stale, GUSTO_TOKEN))).outcome).toBe('bad_signature');
    });

    it('no longer trusts a token adopted by an earlier version without Gusto’s confirmation', async () => {
      ctx = setup(null);
      await ctx.store.append(
        WEBHOOK_KEY_STREAM,
        [
          {
            type: 'WebhookVerificationTokenAdopted',
            data: {
              fingerprint: fingerprintOf('legacy-tofu-token-1'),
              sealed: fakeVault.seal('legacy-tofu-token-1', 'gusto-webhook-verification-token'),
              at: '2026-01-01T00:00:00Z',
            },
          },
        ],
        'no_stream',
      );
      const raw = event(uuidOf(14));
      expect((await ctx.intake.receive(raw, signBody(raw, 'legacy-tofu-token-1'))).outcome).toBe('bad_signature');
    });

    it('answers the handshake but keeps using GUSTO_WEBHOOK_VERIFICATION_TOKEN when it is set; the window cannot be opened', async () => {
      ctx = setup(TOKEN);
      expect(await ctx.keyring.openHandshakeWindow('admin-token')).toEqual({
        ok: false,
        error: 'configured_token_in_use',
      });
      expect(await ctx.handshake(GUSTO_TOKEN)).toEqual({ outcome: 'verification' });
      expect(await keyEvents(ctx)).toEqual(['WebhookVerificationTokenNotAdopted']);
      const raw = event(uuidOf(15));
      expect((await ctx.intake.receive(raw, signBody(raw, TOKEN))).outcome).toBe('accepted');
      expect(await ctx.counted('verification')).toBe(1);
    });

    it('does not let a flood of handshakes grow the store: refused tokens are recorded a few times an hour', async () => {
      ctx = setup(null);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          ctx.intake.receive(body({ verification_token: `flood-token-${i}-xxxx` }), undefined),
        ),
      );
      expect(answers.every((a) => a.outcome === 'verification')).toBe(true);
      expect((await ctx.store.readStream(WEBHOOK_KEY_STREAM)).length).toBeLessThanOrEqual(10);
      expect(await ctx.counted('verification')).toBe(50);
    });

    it('does not treat an event that also carries verification_token as a handshake', async () => {
      ctx = setup(null);
      await ctx.keyring.openHandshakeWindow('admin-token');
      const sneaky = event(uuidOf(16), { verification_token: 'sneaky-token-1234' });
      expect((await ctx.intake.receive(sneaky, signBody(sneaky, 'sneaky-token-1234'))).outcome).toBe('bad_signature');
      expect(await keyEvents(ctx)).toEqual(['WebhookHandshakeWindowOpened']);
    });
  });

  describe('confirming the subscription to Gusto', () => {
    it('confirms only the token it verifies signatures with, after answering', async () => {
      const asked: string[] = [];
      ctx = setup(TOKEN, { verifyPending: async (t) => (asked.push(t), ['sub-1']) });
      await ctx.handshake('some-other-token-123');
      expect(asked).toEqual([]);
      await ctx.handshake(TOKEN);
      expect(asked).toEqual([TOKEN]);
      const verified = (await ctx.store.readStream(WEBHOOK_KEY_STREAM)).filter(
        (e) => e.type === 'WebhookSubscriptionVerified',
      );
      expect(verified.map((e) => e.data)).toEqual([
        expect.objectContaining({ subscriptionUuid: 'sub-1', fingerprint: fingerprintOf(TOKEN) }),
      ]);
    });

    it('still answers when confirming fails, and adopts nothing', async () => {
      ctx = setup(null, {
        verifyPending: async () => {
          throw new Error('Gusto down');
        },
      });
      await ctx.keyring.openHandshakeWindow('admin-token');
      expect((await ctx.handshake('first-token-abc')).outcome).toBe('verification');
      expect(await keyEvents(ctx)).toEqual(['WebhookHandshakeWindowOpened']);
    });
  });
});
