import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { contentHash } from '../../../../src/application/payroll-posting/payroll-facts';

/** The first form of contentHash: recorded hashes were made with it, so the faster one must agree byte for byte. */
const reference = (value: unknown): string => {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
};

describe('contentHash', () => {
  it('is the hash of the reference canonical JSON for any JSON value (payroll-like keys, integer keys, __proto__)', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', '0', '2', '10', '01', 'employee_uuid', 'Gross', 'gross'),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    })).value;
    fc.assert(
      fc.property(json, (value) => contentHash(value) === reference(value)),
      { numRuns: 3000 },
    );
  });

  it('does not depend on key order, and a changed amount changes it', () => {
    const a = {
      uuid: 'p',
      totals: { net_pay: '2.00', gross_pay: '3.00' },
      employee_compensations: [{ employee_uuid: 'e', gross_pay: '3.00' }],
    };
    const b = {
      employee_compensations: [{ gross_pay: '3.00', employee_uuid: 'e' }],
      totals: { gross_pay: '3.00', net_pay: '2.00' },
      uuid: 'p',
    };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toBe(reference(a));
    expect(contentHash({ ...a, totals: { ...a.totals, net_pay: '2.01' } })).not.toBe(contentHash(a));
  });
});
