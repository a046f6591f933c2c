/**
 * Small pure helpers of the Gusto sandbox: a controllable clock, a seeded random source that makes
 * uuids, and integer-cent money (bigint; never a float) with Gusto's decimal-string rendering.
 */

export interface ClockSource {
  now(): Date;
}

/** Follows its source (real time by default) plus an offset that tests move with advance/set. */
export class SandboxClock implements ClockSource {
  private offsetMs = 0;
  constructor(private readonly source: ClockSource = { now: () => new Date() }) {}
  now(): Date {
    return new Date(this.source.now().getTime() + this.offsetMs);
  }
  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
  set(date: Date | string): Date {
    this.offsetMs = new Date(date).getTime() - this.source.now().getTime();
    return this.now();
  }
  /** Today's date (UTC) as YYYY-MM-DD. */
  today(): string {
    return isoDate(this.now());
  }
  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string =>
  isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
export const addMonths = (date: string, months: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDate(d);
};
export const isDate = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** mulberry32: small, fast, good enough for test data, fully determined by the seed. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max], inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bigint(min: number, max: number): bigint {
    return BigInt(this.int(min, max));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += this.int(0, 15).toString(16);
    return s;
  }
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[this.int(0, 3)] as string;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
  token(chars: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let s = '';
    for (let i = 0; i < chars; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

export type Cents = bigint;

/** "1234.50" / "-0.07" from cents. */
export const formatCents = (c: Cents): string => {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

/** Exact parse of a decimal string with at most two decimals ("78000", "24.5", "24.00"). */
export const parseCents = (s: string): Cents => {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new Error(`not a money amount: ${s}`);
  const cents = BigInt(m[2] as string) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
};

/** Hours are kept as integer thousandths ("80.000"). */
export const formatMilli = (m: bigint): string => {
  const neg = m < 0n;
  const abs = neg ? -m : m;
  return `${neg ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
};

/** Divide rounding half away from zero. */
export const divRound = (n: bigint, d: bigint): bigint => {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= (d < 0n ? -d : d)) return n < 0n !== d < 0n ? q - 1n : q + 1n;
  return q;
};

/** amount × basis points / 10000, rounded to the cent. */
export const pct = (amount: Cents, basisPoints: bigint): Cents => divRound(amount * basisPoints, 10_000n);

export const sum = (values: Iterable<Cents>): Cents => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};
