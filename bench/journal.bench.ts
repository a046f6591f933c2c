/**
 * buildJournal at 100 … 50,000 employees (summary detail, v2026-06-15 string amounts, ~15 components
 * per employee). Median of a few warm runs in ms (no forced GC between runs: a service's heap is warm);
 * `employees_50000_peak_mb`: how much the heap grows during one 50,000 build, measured from a forced GC
 * (`--expose-gc`) to the end of the build before anything is collected (an upper estimate of its
 * working set; without --expose-gc it is noisier); `vs_parse_ratio`: the 50,000 build time over
 * `JSON.parse` of the same payroll's JSON.
 * Targets on a 2-core box: 10,000 ≤ 100 ms, 50,000 ≤ 1 s, linear.
 * Run alone: `npx tsx bench/journal.bench.ts` (or node --expose-gc on the built file).
 */
import { buildJournal } from '../src/domain/journal/build-journal';
import { exampleMapping } from '../src/sandbox/example-mapping';
import type { AccountMapping } from '../src/domain/mapping/account-mapping';
import type { GustoEmployeeCompensation, GustoPayroll } from '../src/domain/payroll/gusto-payroll';

const MAPPING: AccountMapping = exampleMapping('HQ');

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** A consistent payroll of n employees; deterministic (a small LCG, not Math.random). */
export function benchPayroll(n: number): GustoPayroll {
  let state = 12345;
  const rnd = (max: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % max;
  };
  const comps: GustoEmployeeCompensation[] = [];
  for (let i = 0; i < n; i++) {
    const regular = 150000 + rnd(300000);
    const overtime = rnd(3) === 0 ? rnd(40000) : 0;
    const bonus = rnd(10) === 0 ? rnd(100000) : 0;
    const gross = regular + overtime + bonus;
    const fit = Math.floor(gross * 0.1);
    const ss = Math.floor(gross * 0.062);
    const med = Math.floor(gross * 0.0145);
    const k401 = rnd(2) === 0 ? Math.floor(gross * 0.05) : 0;
    const medical = 12500;
    const loan = rnd(20) === 0 ? 5000 : 0;
    const reimb = rnd(8) === 0 ? rnd(10000) : 0;
    const net = gross - fit - ss - med - k401 - medical - loan;
    comps.push({
      employee_uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      excluded: false,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      gross_pay: money(gross),
      net_pay: money(net),
      check_amount: money(net + reimb),
      payment_method: 'Direct Deposit',
      fixed_compensations: bonus ? [{ name: 'Bonus', amount: money(bonus) }] : [],
      hourly_compensations: [
        { name: 'Regular Hours', hours: '80.000', amount: money(regular) },
        ...(overtime ? [{ name: 'Overtime', hours: '6.000', amount: money(overtime) }] : []),
      ],
      reimbursements: reimb ? [{ description: 'Mileage', amount: money(reimb) }] : [],
      deductions: loan ? [{ name: 'Equipment Loan Repayment', amount: money(loan) }] : [],
      taxes: [
        { name: 'Federal Income Tax', employer: false, amount: money(fit) },
        { name: 'Social Security', employer: false, amount: money(ss) },
        { name: 'Medicare', employer: false, amount: money(med) },
        { name: 'Social Security', employer: true, amount: money(ss) },
        { name: 'Medicare', employer: true, amount: money(med) },
        { name: 'FUTA', employer: true, amount: money(Math.floor(gross * 0.006)) },
        { name: 'TX SUTA', employer: true, amount: money(Math.floor(gross * 0.027)) },
      ],
      benefits: [
        ...(k401
          ? [
              {
                name: '401(k)',
                employee_deduction: money(k401),
                company_contribution: money(Math.floor(k401 / 2)),
                imputed: false,
              },
            ]
          : []),
        {
          name: 'Medical Insurance',
          employee_deduction: money(medical),
          company_contribution: '450.00',
          imputed: false,
        },
      ],
      department: ['Engineering', 'Sales', 'Operations'][rnd(3)],
    });
  }
  return {
    uuid: 'c9b2e4f6-1a3d-4c5e-8f70-6b9a2d1e3f48',
    company_uuid: '4f1c2a9e-8b3d-4e57-9a61-2d7c5b0e8f13',
    check_date: '2026-01-23',
    processed: true,
    off_cycle: false,
    pay_period: { start_date: '2026-01-04', end_date: '2026-01-17' },
    company_taxes: [],
    employee_compensations: comps,
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs: number): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ms);
}

const round = (x: number): number => Math.round(x * 100) / 100;

export async function benchJournal(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const build = (p: GustoPayroll) => {
    const r = buildJournal(p, MAPPING, { mappingVersion: 1 });
    if (!r.ok) throw new Error(`bench payroll refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
    return r;
  };
  for (const n of [100, 1000, 10000, 50000]) {
    const payroll = benchPayroll(n);
    out[`employees_${n}_ms`] = round(time(() => build(payroll), n >= 50000 ? 5 : 7));
    if (n === 50000) {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = build(payroll);
      out.employees_50000_peak_mb = round((process.memoryUsage().heapUsed - before) / 2 ** 20);
      void kept;
      const json = JSON.stringify(payroll);
      const parseMs = time(() => JSON.parse(json), 5);
      out.vs_parse_ratio = round(out.employees_50000_ms / parseMs);
    }
  }
  return out;
}

if (require.main === module) {
  benchJournal().then((r) => process.stdout.write(`${JSON.stringify({ journal: r }, null, 2)}\n`));
}
