/**
 * Bank cash mode and imputed benefits, over generated payrolls: direct deposit and paper checks mixed,
 * imputed benefits, child support garnishments, taxes Gusto does not remit, reversal payrolls.
 */
import fc from 'fast-check';
import { buildJournal } from '../../../../src/domain/journal';
import {
  CASH_ROLES,
  ROLE_SIDE,
  ROLES,
  parseMapping,
  type AccountMapping,
  type DetailLevel,
  type Role,
} from '../../../../src/domain/mapping';
import { cents } from './journal-assertions';
import { generatePayroll, type GeneratorOptions } from './payroll-generator';

const ACCOUNT_ROLE: Record<string, Role> = {};
function bankMapping(detail: DetailLevel, splitLiabilitiesByDepartment: boolean): AccountMapping {
  const accounts: Record<string, { account: string; subaccount?: string }> = {};
  for (const role of ROLES) accounts[role] = { account: `A-${role}` };
  accounts['deductionLiability:401(k)'] = { account: 'A-401k' };
  for (const [key, { account }] of Object.entries(accounts)) ACCOUNT_ROLE[account] = key.split(':')[0] as Role;
  const parsed = parseMapping({
    journal: { detail, release: false, cash: 'bank', splitLiabilitiesByDepartment },
    accounts,
    subaccountsByDepartment: { Engineering: 'SUB-ENG', Sales: 'SUB-SALES' },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.mapping;
}

const DEBIT_FIELD: Record<
  (typeof CASH_ROLES)[number],
  'netPay' | 'tax' | 'reimbursement' | 'childSupport' | 'outstanding'
> = {
  netPayDebit: 'netPay',
  taxDebit: 'tax',
  reimbursementDebit: 'reimbursement',
  childSupportDebit: 'childSupport',
  outstandingChecks: 'outstanding',
};

const scenario = fc.record({
  seed: fc.integer(),
  employees: fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 1, max: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: 21, max: 200 }) },
  ),
  amounts: fc.constantFrom<GeneratorOptions['amounts']>('string', 'number', 'mixed'),
  negative: fc.boolean(),
  companyTaxes: fc.boolean(),
  checks: fc.constantFrom(0, 0.2, 0.5, 1),
  benefitsIncludeImputed: fc.boolean(),
  unremittedTaxes: fc.boolean(),
  detail: fc.constantFrom<DetailLevel>('summary', 'department', 'employee'),
  split: fc.boolean(),
  debitDate: fc.boolean(),
});

describe('buildJournal in bank cash mode (properties)', () => {
  it('one cash line per Gusto withdrawal, equal to its *_debit, summing to company_debit; balanced; imputed benefits post nothing', () => {
    let withChecks = 0;
    let withImputed = 0;
    let withChildSupport = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const g = generatePayroll(s.seed, { ...s, totals: true });
        const debitDate = s.debitDate
          ? new Date(Date.parse(`${g.payroll.check_date}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10)
          : null;
        if (debitDate)
          (g.payroll as unknown as Record<string, unknown>).payroll_status_meta = {
            expected_debit_time: `${debitDate}T16:00:00-08:00`,
          };
        const result = buildJournal(g.payroll, bankMapping(s.detail, s.split), { mappingVersion: 3 });
        if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
        const j = result.journal;
        if (g.debits.outstanding !== 0) withChecks++;
        if (g.imputed !== 0) withImputed++;
        if (g.debits.childSupport !== 0) withChildSupport++;

        let debit = 0;
        let credit = 0;
        const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
        const cashLines = new Map<Role, number[]>();
        for (const line of j.lines) {
          const c = cents(line.amount);
          if (line.side === 'debit') debit += c;
          else credit += c;
          const role = ACCOUNT_ROLE[line.account];
          const signed = line.side === ROLE_SIDE[role] ? c : -c;
          byRole[role] += signed;
          if ((CASH_ROLES as readonly string[]).includes(role)) {
            cashLines.set(role, [...(cashLines.get(role) ?? []), signed]);
            expect(line.employeeUuid).toBeUndefined();
            expect(line.memo).toContain(g.payroll.check_date);
            // A withdrawal's memo names the date Gusto debits it, or says Gusto gave none; paper checks are no withdrawal.
            if (role !== 'outstandingChecks')
              expect(line.memo).toContain(debitDate ? `debited ${debitDate}` : 'Gusto gave no debit date');
          }
          // Imputed benefits never reach an expense or a liability line.
          if (role === 'benefitExpense' || role === 'benefitLiability')
            expect(line.memo).not.toContain('Group Term Life');
        }
        // One line per withdrawal, equal to Gusto's figure; none for a zero withdrawal.
        for (const role of CASH_ROLES) {
          const want = g.debits[DEBIT_FIELD[role]];
          expect(cashLines.get(role) ?? []).toEqual(want === 0 ? [] : [want]);
        }
        const withdrawn = ['netPayDebit', 'taxDebit', 'reimbursementDebit', 'childSupportDebit'].reduce(
          (a, r) => a + (cashLines.get(r as Role)?.[0] ?? 0),
          0,
        );
        expect(withdrawn).toBe(g.debits.company);
        expect(debit).toBe(credit);
        expect(cents(j.totals.debit)).toBe(debit);
        expect(byRole.employeeTaxLiability + byRole.employerTaxLiability).toBe(g.expectedBank.taxRemainder);
        const { taxRemainder: _r, ...expected } = g.expectedBank;
        expect({ ...byRole, employeeTaxLiability: 0, employerTaxLiability: 0 }).toEqual(expected);
        if (s.split && s.detail === 'department') {
          expect(
            j.lines.some(
              (l) =>
                l.side === 'credit' &&
                l.department === 'Engineering' &&
                ACCOUNT_ROLE[l.account] === 'deductionLiability' &&
                l.subaccount !== 'SUB-ENG',
            ),
          ).toBe(false);
        }
        // The paper-check total Gusto reports is compared, and a difference is named.
        const checkWarning = j.warnings.some((w) => w.startsWith('totals.check_amount'));
        expect(checkWarning).toBe(g.debits.checkAmount !== g.debits.outstanding);
      }),
      { numRuns: 1000 },
    );
    // The generator really mixed the cases the property is about.
    expect(withChecks).toBeGreaterThan(100);
    expect(withImputed).toBeGreaterThan(100);
    expect(withChildSupport).toBeGreaterThan(100);
  });

  it('refuses, naming the difference, when the withdrawals do not add up to company_debit or child support does not tie', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 1, max: 100000 }),
        fc.constantFrom('company_debit', 'child_support_debit'),
        (s, off, field) => {
          const g = generatePayroll(s.seed, { ...s, totals: true });
          const totals = g.payroll.totals as Record<string, string>;
          totals[field] = (cents(totals[field]) + off >= 0 ? '' : '-') + fmt(Math.abs(cents(totals[field]) + off));
          const result = buildJournal(g.payroll, bankMapping(s.detail, false), { mappingVersion: 1 });
          expect(result.ok).toBe(false);
          if (result.ok) return;
          const named = result.errors.find((e) => e.code === 'totals_mismatch' && e.total === `totals.${field}`);
          expect(named).toBeDefined();
          if (named?.code === 'totals_mismatch') expect(named.difference).toBe(fmt(off));
        },
      ),
      { numRuns: 200 },
    );
  });
});

const fmt = (c: number): string => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
