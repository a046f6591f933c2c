/**
 * Money: Gusto amounts → exact integer cents → 2-place decimal strings.
 *
 * Representation: integer cents held in a JS number. Integers are exact in a double up to 2^53 − 1
 * (≈ 90 trillion dollars in cents), so adding cents never rounds; no float ever holds a fractional
 * amount of money. Amounts are parsed from their decimal text, never from a float's binary value.
 *
 * Gusto amounts are already in cents, so the connector does not round money it adds up. The ONE
 * place that rounds is `roundFloatNoise` below, and it only applies to JSON numbers (API versions
 * ≤ 2026-02-01), whose shortest decimal text can carry binary noise (0.1 + 0.2 → "0.30000000000000004").
 * Such a number is rounded half-up (half away from zero) to the cent only when it lies within
 * FLOAT_NOISE of a cent; anything further (e.g. 12.345) is a real sub-cent amount and is refused as
 * `malformed_amount`. Strings must be exact: more than 2 decimal places only when the extra digits are
 * zeros ("12.300" is 12.30; "12.345" is refused).
 */
import BigNumber from 'bignumber.js';

/** Integer cents, exact. */
export type Cents = number;

export interface MalformedAmount {
  code: 'malformed_amount';
  /** Where the amount was found, e.g. `employee_compensations[2].taxes[0].amount`. */
  path: string;
  message: string;
}

/** Largest magnitude accepted for one amount: 10^13 cents (100 billion dollars), far below 2^53. */
const MAX_AMOUNT_CENTS = 1e13;
/** A JSON number within this many dollars of a cent is that cent plus binary noise. */
const FLOAT_NOISE = new BigNumber('1e-6');

const Decimal = BigNumber.clone({ EXPONENTIAL_AT: 1e9, ROUNDING_MODE: BigNumber.ROUND_HALF_UP });

/**
 * Cents of a Gusto amount, or NaN when it is malformed. The hot path of the journal builder:
 * no allocation beyond the regex match. Use `parseAmount` for a named error.
 */
export function centsOrNaN(value: unknown): Cents {
  if (typeof value === 'string') return exactCents(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NaN;
    const text = String(value);
    const exact = exactCents(text);
    return Number.isNaN(exact) ? roundFloatNoise(text) : exact;
  }
  return NaN;
}

/** `centsOrNaN` with the error named: `malformed_amount` at `path`. */
export function parseAmount(
  value: unknown,
  path: string,
): { ok: true; cents: Cents } | { ok: false; error: MalformedAmount } {
  const cents = centsOrNaN(value);
  if (!Number.isNaN(cents)) return { ok: true, cents };
  return { ok: false, error: malformedAmount(path, value) };
}

export function malformedAmount(path: string, value: unknown): MalformedAmount {
  return { code: 'malformed_amount', path, message: `${path}: malformed amount ${describe(value)}` };
}

/** "1234.50", "-0.05", "0.00". */
export function formatCents(cents: Cents): string {
  const negative = cents < 0;
  const abs = negative ? -cents : cents;
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return `${negative ? '-' : ''}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** The exact decimal value of cents, for callers that want BigNumber arithmetic. */
export function centsToDecimal(cents: Cents): BigNumber {
  return new Decimal(cents).shiftedBy(-2);
}

/** Exact decimal string → cents; BigNumber for anything with an exponent. NaN unless a whole number of cents. */
export function decimalToCents(value: BigNumber.Value): Cents {
  const d = new Decimal(value);
  if (!d.isFinite()) return NaN;
  const shifted = d.shiftedBy(2);
  if (!shifted.isInteger() || shifted.abs().gt(MAX_AMOUNT_CENTS)) return NaN;
  return shifted.toNumber();
}

/** True when a sum of cents is still exact (guards totals of absurd payrolls). */
export function isExactCents(cents: Cents): boolean {
  return Number.isSafeInteger(cents);
}

/** Plain decimal text → cents, without allocating (the hot path): `-?\d+(\.\d+)?`, sub-cent digits only zeros. */
function exactCents(text: string): Cents {
  const n = text.length;
  if (n === 0 || n > 64) return NaN;
  let i = 0;
  const negative = text.charCodeAt(0) === 45; // '-'
  if (negative) i = 1;
  const start = i;
  let whole = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    if (whole > MAX_AMOUNT_CENTS / 100) return NaN;
  }
  if (i === start) return NaN;
  let frac = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46 || i === n - 1) return NaN; // '.' followed by at least one digit
    for (let k = 0, j = i + 1; j < n; j++, k++) {
      const d = text.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return NaN;
      if (k === 0) frac = d * 10;
      else if (k === 1) frac += d;
      else if (d !== 0) return NaN;
    }
  }
  const cents = whole * 100 + frac;
  return negative && cents !== 0 ? -cents : cents;
}

/**
 * THE rounding: a JSON number's shortest decimal text (possibly "1e-7" style), half-up to the cent,
 * only if it is a cent plus float noise.
 */
function roundFloatNoise(text: string): Cents {
  const d = new Decimal(text);
  if (!d.isFinite()) return NaN;
  const rounded = d.decimalPlaces(2, BigNumber.ROUND_HALF_UP);
  if (rounded.minus(d).abs().gt(FLOAT_NOISE)) return NaN;
  return decimalToCents(rounded);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return `of type ${Array.isArray(value) ? 'array' : typeof value}`;
}
