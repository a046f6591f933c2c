/** Month-end accrual over generated payrolls and pay periods across month ends. */
import fc from 'fast-check';
import { buildJournal } from '../../../../src/domain/journal';
import { buildAccruals, largestRemainder, periodMonths } from '../../../../src/domain/journal/accrual';
import { ROLES, parseMapping, type AccountMapping, type DetailLevel } from '../../../../src/domain/mapping';
import { withGeneration } from '../../../../src/domain/journal/generation';
import { voidJournal } from '../../../../src/domain/payroll-accrual/void-journal';
import { cents } from './journal-assertions';
import { generatePayroll } from './payroll-generator';

function mapping(
  detail: DetailLevel,
  cash: 'bank' | 'liabilities',
  entryDate: 'check_date' | 'period_end',
): AccountMapping {
  const accounts: Record<string, { account: string }> = {};
  for (const role of ROLES) accounts[role] = { account: `A-${role}` };
  accounts['earnings:Overtime'] = { account: 'A-earnings-OT' };
  const parsed = parseMapping({
    journal: { detail, release: false, cash, entryDate, accrual: { enabled: true } },
    accounts,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.mapping;
}
const ACCRUED = /^A-(earnings|earnings-OT|employerTaxExpense|benefitExpense)$/;
const day = (base: string, n: number) =>
  new Date(Date.parse(`${base}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const signedOf = (l: { side: string; amount: string }) => (l.side === 'debit' ? cents(l.amount) : -cents(l.amount));

describe('month-end accrual (properties)', () => {
  it('accrual parts sum exactly to the accrued lines; each accrual balances and nets to zero with its reversal; dated last day of M / first of M+1', () => {
    let accrued = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          employees: fc.integer({ min: 1, max: 25 }),
          negative: fc.boolean(),
          startOffset: fc.integer({ min: 0, max: 700 }),
          length: fc.integer({ min: 1, max: 45 }),
          checkLag: fc.integer({ min: 0, max: 20 }),
          detail: fc.constantFrom<DetailLevel>('summary', 'department', 'employee'),
          cash: fc.constantFrom<'bank' | 'liabilities'>('bank', 'liabilities'),
          entryDate: fc.constantFrom<'check_date' | 'period_end'>('check_date', 'period_end'),
          generation: fc.constantFrom(1, 1, 2, 3),
        }),
        (s) => {
          const g = generatePayroll(s.seed, {
            employees: s.employees,
            amounts: 'mixed',
            negative: s.negative,
            totals: true,
            checks: 0.3,
          });
          const start = day('2025-01-01', s.startOffset);
          const end = day(start, s.length - 1);
          g.payroll.pay_period = { start_date: start, end_date: end };
          g.payroll.check_date = day(end, s.checkLag);
          const m = mapping(s.detail, s.cash, s.entryDate);
          const built = buildJournal(g.payroll, m, { mappingVersion: 1 });
          if (!built.ok) throw new Error(JSON.stringify(built.errors.slice(0, 2)));
          const j = withGeneration(built.journal, s.generation);
          const ref = s.generation > 1 ? `${j.payrollUuid}/${s.generation}` : j.payrollUuid;
          const result = buildAccruals(j, { startDate: start, endDate: end }, m);
          if (!result.ok) throw new Error(JSON.stringify(result.errors));
          const months = periodMonths(start, end);
          const entryMonth = j.header.transactionDate.slice(0, 7);
          expect(result.accruals.map((a) => a.month)).toEqual(
            months
              .filter((x) => x.month < entryMonth)
              .map((x) => x.month)
              .filter((month) => result.accruals.some((a) => a.month === month)),
          );
          for (const a of result.accruals) {
            accrued++;
            const debit = a.accrual.lines.filter((l) => l.side === 'debit').reduce((x, l) => x + cents(l.amount), 0);
            const credit = a.accrual.lines.filter((l) => l.side === 'credit').reduce((x, l) => x + cents(l.amount), 0);
            expect(debit).toBe(credit);
            expect(cents(a.accrual.totals.debit)).toBe(debit);
            expect(a.accrual.lines.filter((l) => l.account === 'A-accruedPayroll')).toHaveLength(1);
            for (const l of a.accrual.lines)
              expect(l.account === 'A-accruedPayroll' || ACCRUED.test(l.account)).toBe(true);
            expect(a.accrual.header.transactionDate.slice(0, 7)).toBe(a.month);
            expect(a.accrual.header.transactionDate).toBe(
              new Date(Date.UTC(Number(a.month.slice(0, 4)), Number(a.month.slice(5)), 0)).toISOString().slice(0, 10),
            );
            expect(a.reversal.header.transactionDate.endsWith('-01')).toBe(true);
            expect(a.accrual.header.description.endsWith(`[gusto-accrual:${ref}:${a.month}]`)).toBe(true);
            expect(a.reversal.header.description.endsWith(`[gusto-accrual-reversal:${ref}:${a.month}]`)).toBe(true);
            // Cancelled: each void is dated like the journal it undoes and nets it to zero, so each month does.
            for (const original of [a.accrual, a.reversal]) {
              const v = voidJournal(original);
              expect(v.header.transactionDate).toBe(original.header.transactionDate);
              expect(
                v.header.description.endsWith(`[${original.tag.replace(/^(gusto-accrual(-reversal)?):/, '$1-void:')}]`),
              ).toBe(true);
              const month = new Map<string, number>();
              for (const l of [...original.lines, ...v.lines])
                month.set(
                  `${l.account}|${l.subaccount ?? ''}|${l.department ?? ''}|${l.employeeUuid ?? ''}`,
                  (month.get(`${l.account}|${l.subaccount ?? ''}|${l.department ?? ''}|${l.employeeUuid ?? ''}`) ?? 0) +
                    signedOf(l),
                );
              expect([...month.values()].filter((x) => x !== 0)).toEqual([]);
            }
            // The accrual and its reversal net every account to zero.
            const net = new Map<string, number>();
            for (const l of [...a.accrual.lines, ...a.reversal.lines])
              net.set(
                `${l.account}|${l.subaccount ?? ''}|${l.department ?? ''}|${l.employeeUuid ?? ''}`,
                (net.get(`${l.account}|${l.subaccount ?? ''}|${l.department ?? ''}|${l.employeeUuid ?? ''}`) ?? 0) +
                  signedOf(l),
              );
            expect([...net.values()].filter((v) => v !== 0)).toEqual([]);
          }
          // Per accrued line of the journal: the parts over every month of the period sum exactly to the line.
          const weights = months.map((x) => x.days);
          for (const l of j.lines.filter((x) => ACCRUED.test(x.account))) {
            const parts = largestRemainder(signedOf(l), weights);
            expect(parts.reduce((a, b) => a + b, 0)).toBe(signedOf(l));
            months.forEach((mo, i) => {
              const a = result.accruals.find((x) => x.month === mo.month);
              if (!a) return;
              const line = a.accrual.lines.find(
                (x) =>
                  x.account === l.account &&
                  x.subaccount === l.subaccount &&
                  x.department === l.department &&
                  x.employeeUuid === l.employeeUuid &&
                  x.mappingKey === l.mappingKey &&
                  x.memo.endsWith(l.memo),
              );
              expect(line ? signedOf(line) : 0).toBe(parts[i]);
            });
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(accrued).toBeGreaterThan(300);
  });

  it('largestRemainder: parts sum exactly, each within a cent of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 4 }),
        (amount, weights) => {
          const parts = largestRemainder(amount, weights);
          const total = weights.reduce((a, b) => a + b, 0);
          if (total === 0) return expect(parts.every((p) => p === 0)).toBe(true);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
          parts.forEach((p, i) => expect(Math.abs(p - (amount * weights[i]) / total)).toBeLessThan(1.0000001));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
