import fc from 'fast-check';
import { buildJournal, reverseJournal } from '../../../../src/domain/journal';
import {
  ROLE_SIDE,
  ROLES,
  parseMapping,
  type AccountMapping,
  type DetailLevel,
  type Role,
} from '../../../../src/domain/mapping';
import { cents, expectNetsToZero } from './journal-assertions';
import { generatePayroll, prng, type GeneratorOptions } from './payroll-generator';

/** Every role and override on its own account, so each line can be traced back to its role. */
const ACCOUNT_ROLE: Record<string, Role> = {};
function mappingFor(detail: DetailLevel): AccountMapping {
  const accounts: Record<string, { account: string; subaccount?: string }> = {};
  for (const role of ROLES)
    accounts[role] = { account: `A-${role}`, subaccount: role === 'earnings' ? '000000' : undefined };
  accounts['earnings:Overtime'] = { account: 'A-earnings-OT' };
  accounts['employerTaxExpense:FUTA'] = { account: 'A-futa', subaccount: 'FUTA01' };
  accounts['deductionLiability:401(k)'] = { account: 'A-401k' };
  accounts['netPay:Mileage'] = { account: 'A-mileage-payable' };
  for (const [key, { account }] of Object.entries(accounts)) ACCOUNT_ROLE[account] = key.split(':')[0] as Role;
  for (const v of Object.values(accounts)) if (v.subaccount === undefined) delete v.subaccount;
  const parsed = parseMapping({
    journal: { branch: 'HQ', ledger: 'ACTUAL', detail, release: false },
    accounts,
    subaccountsByDepartment: { Engineering: 'SUB-ENG', Sales: 'SUB-SALES' },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.mapping;
}
const MAPPINGS = {
  summary: mappingFor('summary'),
  department: mappingFor('department'),
  employee: mappingFor('employee'),
};

/** Most payrolls small, a few big (up to 500 employees). */
const size = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 3, arbitrary: fc.integer({ min: 21, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 500 }) },
);
const scenario = fc.record({
  seed: fc.integer(),
  employees: size,
  amounts: fc.constantFrom<GeneratorOptions['amounts']>('string', 'number', 'mixed'),
  negative: fc.boolean(),
  totals: fc.boolean(),
  companyTaxes: fc.boolean(),
  detail: fc.constantFrom<DetailLevel>('summary', 'department', 'employee'),
});

function shuffled<T>(xs: T[], seed: number): T[] {
  const rnd = prng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('buildJournal properties', () => {
  it('balances to the cent, carries each role total computed independently, and is deterministic', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { payroll, expected } = generatePayroll(s.seed, s);
        const mapping = MAPPINGS[s.detail];
        const result = buildJournal(payroll, mapping, { mappingVersion: 7 });
        if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
        const j = result.journal;

        let debit = 0;
        let credit = 0;
        const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
        const bad: string[] = [];
        for (const line of j.lines) {
          if (!/^\d+\.\d{2}$/.test(line.amount) || line.amount === '0.00') bad.push(`amount ${line.amount}`);
          const c = cents(line.amount);
          if (line.side === 'debit') debit += c;
          else credit += c;
          const role = ACCOUNT_ROLE[line.account];
          byRole[role] += line.side === ROLE_SIDE[role] ? c : -c;
          const expense = ROLE_SIDE[role] === 'debit';
          if (s.detail !== 'summary' && expense && line.department === 'Engineering' && line.subaccount !== 'SUB-ENG')
            bad.push(`subaccount ${line.subaccount}`);
          if (s.detail === 'department' && !expense && line.department !== undefined)
            bad.push('credit line split by department');
          if (s.detail === 'employee' && !/^A-(employerTax|futa)/.test(line.account) && line.employeeUuid === undefined)
            bad.push('employee line without employee');
        }
        expect(bad).toEqual([]);
        // Departments without a subaccount fall back, each named once in a warning (not in summary detail).
        const unmappedDepartments = new Set(
          payroll.employee_compensations
            .filter((e) => !e.excluded && (e.department === 'Operations' || e.department === 'Marketing'))
            .map((e) => e.department),
        );
        const departmentWarnings = j.warnings.filter((w) => w.startsWith('department "'));
        expect(departmentWarnings).toHaveLength(s.detail === 'summary' ? 0 : unmappedDepartments.size);
        expect(debit).toBe(credit);
        expect(j.totals).toEqual({ debit: j.totals.credit, credit: j.totals.debit });
        expect(cents(j.totals.debit)).toBe(debit);
        expect(byRole).toEqual(expected);
        expect(j.mappingVersion).toBe(7);
        expect(j.header.description.length).toBeLessThanOrEqual(256);
        expect(j.header.description.endsWith(`[gusto:${payroll.uuid}]`)).toBe(true);

        // Same input → byte-identical JSON; and the employees' order does not matter.
        const again = buildJournal(payroll, mapping, { mappingVersion: 7 });
        expect(JSON.stringify(again)).toBe(JSON.stringify(result));
        const reordered = { ...payroll, employee_compensations: shuffled(payroll.employee_compensations, s.seed) };
        expect(JSON.stringify(buildJournal(reordered, mapping, { mappingVersion: 7 }))).toBe(JSON.stringify(result));

        // The reversal nets every account to zero with the original.
        expectNetsToZero(j, reverseJournal(j, payroll.uuid));
      }),
      { numRuns: 1000 },
    );
  });

  it('only ever answers with the named errors, never throws, on damaged payrolls and mappings', () => {
    const CODES = new Set([
      'unmapped_component',
      'totals_mismatch',
      'malformed_amount',
      'unbalanced',
      'invalid_payroll',
    ]);
    const damage = fc.record({
      dropRole: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      value: fc.oneof(fc.anything(), fc.constantFrom('12.3.4', '', 'abc', NaN, Infinity, '1.234', -0, null)),
    });
    fc.assert(
      fc.property(scenario, damage, (s, d) => {
        const { payroll } = generatePayroll(s.seed, { ...s, employees: Math.min(s.employees, 30), totals: true });
        const damaged = JSON.parse(JSON.stringify(payroll)) as Record<string, unknown>;
        poke(damaged, d.path, d.value);
        const mapping = structuredClone(MAPPINGS[s.detail]);
        if (d.dropRole) delete mapping.accounts[d.dropRole];
        const result = buildJournal(damaged as never, mapping, { mappingVersion: 1 });
        if (result.ok) {
          expect(result.journal.totals.debit).toBe(result.journal.totals.credit);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(CODES.has(e.code)).toBe(true);
            expect(e.code).not.toBe('unbalanced');
            expect(typeof e.message).toBe('string');
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON as the payroll', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const result = buildJournal(junk as never, MAPPINGS.summary, { mappingVersion: 1 });
        expect(result.ok).toBe(false);
        if (!result.ok)
          for (const e of result.errors) expect(['invalid_payroll', 'malformed_amount']).toContain(e.code);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Replaces some nested value, walking object keys / array items by index. */
function poke(target: unknown, path: number[], value: unknown): void {
  let node = target as Record<string, unknown>;
  for (let i = 0; i < path.length; i++) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[path[i] % keys.length];
    const child = node[key];
    if (i === path.length - 1 || typeof child !== 'object' || child === null) {
      node[key] = value;
      return;
    }
    node = child as Record<string, unknown>;
  }
}
