import fc from 'fast-check';
import { centsOrNaN, centsToDecimal, decimalToCents, formatCents, parseAmount } from '../../../../src/domain/money';

describe('money', () => {
  it.each([
    ['12.34', 1234],
    ['0', 0],
    ['-0.00', 0],
    ['7', 700],
    ['7.5', 750],
    ['-45.60', -4560],
    ['12.300', 1230],
    ['00012.30', 1230],
  ])('reads the string %s as %d cents', (text, cents) => {
    expect(centsOrNaN(text)).toBe(cents);
  });

  it.each([
    [12.34, 1234],
    [0.1 + 0.2, 30],
    [-45.6, -4560],
    [1e-7, 0],
    [1527.3000000000002, 152730],
    [0, 0],
  ])(
    'reads the JSON number %d by its decimal text as %d cents (float noise rounded half-up, the one rounding place)',
    (n, cents) => {
      expect(centsOrNaN(n)).toBe(cents);
    },
  );

  it.each([
    ['12.3.4'],
    [''],
    ['abc'],
    [' 12.00'],
    ['12.345'],
    ['1e3'],
    ['+1.00'],
    ['.5'],
    ['12,00'],
    ['1000000000000.00'],
    [NaN],
    [Infinity],
    [-Infinity],
    [12.345],
    [1e21],
    [null],
    [undefined],
    [{}],
    [[]],
    [true],
  ])('refuses %p as malformed_amount, naming the path', (value) => {
    const r = parseAmount(value, 'employee_compensations[0].taxes[1].amount');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'malformed_amount', path: 'employee_compensations[0].taxes[1].amount' }),
    });
    if (!r.ok) expect(r.error.message).toMatch(/^employee_compensations\[0\]\.taxes\[1\]\.amount: malformed amount/);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [123450, '1234.50'],
    [-100, '-1.00'],
    [1e13, '100000000000.00'],
  ])('formats %d cents as %s', (c, s) => {
    expect(formatCents(c)).toBe(s);
  });

  it('round-trips every cent amount through its 2-place string, its number and BigNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cents) => {
        const text = formatCents(cents);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(centsOrNaN(text)).toBe(cents);
        expect(centsOrNaN(Number(text))).toBe(cents);
        expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
        expect(centsToDecimal(cents).toFixed(2)).toBe(text === '-0.00' ? '0.00' : text);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary input: a number of cents or NaN', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.anything()), (v) => {
        const c = centsOrNaN(v);
        expect(Number.isNaN(c) || Number.isSafeInteger(c)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
