import { signBody, signatureMatches, signatureMatchesAny } from '../../../../src/application/inbox/webhook-signature';

// gusto.md §8a: the sample webhook file's exact 290 bytes and its published HMAC under a fake token.
const SAMPLE_BODY = Buffer.from(
  '{\n  "uuid": "e2d4f6a8-3b5c-4d7e-9f01-a2b3c4d5e6f7",\n  "event_type": "payroll.processed",\n  "resource_type": "Company",\n  "resource_uuid": "4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13",\n  "entity_type": "Payroll",\n  "entity_uuid": "c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48",\n  "timestamp": 1769017503\n}',
);
const SAMPLE_TOKEN = '3f9a2c71-5d4e-4b8a-9e07-1c6d2f8b4a53';
const SAMPLE_SIGNATURE = '4fa9c62b44d1a352c9ff9a60aa9f20e23af14020bb1f373d33fbd1ad8ac4bff9';

describe('X-Gusto-Signature', () => {
  it("matches Gusto's published test vector over the exact bytes", () => {
    expect(SAMPLE_BODY.length).toBe(290);
    expect(signBody(SAMPLE_BODY, SAMPLE_TOKEN)).toBe(SAMPLE_SIGNATURE);
    expect(signatureMatches(SAMPLE_BODY, SAMPLE_SIGNATURE, SAMPLE_TOKEN)).toBe(true);
  });

  it('is computed over the raw bytes: the compact re-serialisation has a different signature', () => {
    const compact = Buffer.from(JSON.stringify(JSON.parse(SAMPLE_BODY.toString())));
    expect(signBody(compact, SAMPLE_TOKEN)).toBe('f9f9fb4564ecc1496572cdf8220745d123f192c389cd8f41a5e51954500606c2');
    expect(signatureMatches(compact, SAMPLE_SIGNATURE, SAMPLE_TOKEN)).toBe(false);
  });

  it('accepts uppercase hex and surrounding whitespace (hex is case-insensitive)', () => {
    expect(signatureMatches(SAMPLE_BODY, ` ${SAMPLE_SIGNATURE.toUpperCase()} `, SAMPLE_TOKEN)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['wrong key', signBody(SAMPLE_BODY, 'another-token')],
    ['one byte short', SAMPLE_SIGNATURE.slice(0, 62)],
    ['one byte long', SAMPLE_SIGNATURE + 'ab'],
    ['not hex', 'z'.repeat(64)],
    ['hex prefix then garbage', SAMPLE_SIGNATURE.slice(0, 10) + 'x'.repeat(54)],
    ['base64 of the digest', Buffer.from(SAMPLE_SIGNATURE, 'hex').toString('base64')],
    ['sha256= prefixed', `sha256=${SAMPLE_SIGNATURE}`],
    ['all zeros', '0'.repeat(64)],
  ])('refuses a %s signature', (_name, header) => {
    expect(signatureMatches(SAMPLE_BODY, header, SAMPLE_TOKEN)).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from(SAMPLE_BODY);
    tampered[tampered.length - 2] ^= 1;
    expect(signatureMatches(tampered, SAMPLE_SIGNATURE, SAMPLE_TOKEN)).toBe(false);
  });

  it('tries every key it is given and none when there is none', () => {
    expect(signatureMatchesAny(SAMPLE_BODY, SAMPLE_SIGNATURE, ['old-token', SAMPLE_TOKEN])).toBe(true);
    expect(signatureMatchesAny(SAMPLE_BODY, SAMPLE_SIGNATURE, [])).toBe(false);
  });
});
