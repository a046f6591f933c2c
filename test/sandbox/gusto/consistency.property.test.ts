import fc from 'fast-check';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { cents, connect, get, sumCents } from './helpers';

type Comp = Record<string, any>;

/** Reads every page of the payroll over HTTP, as the connector would. */
const readPayroll = async (sb: GustoSandbox, token: string, company: string, uuid: string) => {
  const comps: Comp[] = [];
  let totals: Record<string, string>;
  for (let page = 1; ; page++) {
    const res = await get(
      sb,
      `/v1/companies/${company}/payrolls/${uuid}?include=taxes,benefits,deductions,totals&per=100&page=${page}`,
      token,
    );
    totals = res.body.totals;
    comps.push(...res.body.employee_compensations);
    if (page >= Number(res.headers.get('x-total-pages'))) return { totals, comps };
  }
};

const checkConsistent = (totals: Record<string, string>, comps: Comp[], reversal: boolean): void => {
  const taxes = (c: Comp, employer: boolean) =>
    sumCents(c.taxes.filter((t: Comp) => t.employer === employer).map((t: Comp) => t.amount));
  for (const c of comps) {
    const gross = cents(c.gross_pay);
    const eeBenefits = sumCents(c.benefits.map((b: Comp) => b.employee_deduction));
    const net = gross - taxes(c, false) - eeBenefits - sumCents(c.deductions.map((d: Comp) => d.amount));
    expect(cents(c.net_pay)).toBe(net);
    expect(cents(c.check_amount)).toBe(net + sumCents(c.reimbursements.map((r: Comp) => r.amount)));
    const lines = sumCents([...c.hourly_compensations, ...c.fixed_compensations].map((x: Comp) => x.amount));
    const sign = reversal ? -1n : 1n;
    expect(sign * (gross - lines)).toBeGreaterThanOrEqual(0n); // only the hourly PTO residual is unitemized
    expect(sign * net).toBeGreaterThanOrEqual(0n);
  }
  const total = (f: (c: Comp) => bigint) => comps.reduce((acc, c) => acc + f(c), 0n);
  expect(cents(totals.gross_pay)).toBe(total((c) => cents(c.gross_pay)));
  expect(cents(totals.net_pay)).toBe(total((c) => cents(c.net_pay)));
  expect(cents(totals.employee_taxes)).toBe(total((c) => taxes(c, false)));
  expect(cents(totals.employer_taxes)).toBe(total((c) => taxes(c, true)));
  expect(cents(totals.benefits)).toBe(total((c) => sumCents(c.benefits.map((b: Comp) => b.company_contribution))));
  expect(cents(totals.employee_benefits_deductions)).toBe(
    total((c) => sumCents(c.benefits.map((b: Comp) => b.employee_deduction))),
  );
  expect(cents(totals.other_deductions)).toBe(total((c) => sumCents(c.deductions.map((d: Comp) => d.amount))));
  expect(cents(totals.reimbursements)).toBe(total((c) => sumCents(c.reimbursements.map((r: Comp) => r.amount))));
  expect(cents(totals.imputed_pay)).toBe(
    total((c) => sumCents(c.benefits.filter((b: Comp) => b.imputed === true).map((b: Comp) => b.company_contribution))),
  );
  expect(cents(totals.tax_debit)).toBe(cents(totals.employee_taxes) + cents(totals.employer_taxes));
  expect(cents(totals.net_pay_debit) + cents(totals.check_amount)).toBe(cents(totals.net_pay));
  expect(cents(totals.company_debit)).toBe(
    cents(totals.net_pay_debit) +
      cents(totals.tax_debit) +
      cents(totals.reimbursement_debit) +
      cents(totals.child_support_debit),
  );
};

describe('Gusto sandbox: generated payrolls are internally consistent (property)', () => {
  let sb: GustoSandbox;
  beforeAll(async () => {
    sb = await startGustoSandbox({ seed: 7, rateLimit: { requests: 1_000_000, windowMs: 60_000 } });
  });
  afterAll(() => sb.close());

  it('per employee and in totals, exact to the cent, for 1–500 employees, regular, off-cycle and reversals', async () => {
    const size = fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 1, max: 12 }) },
      { weight: 3, arbitrary: fc.integer({ min: 13, max: 120 }) },
      { weight: 1, arbitrary: fc.integer({ min: 121, max: 500 }) },
    );
    const kind = fc.constantFrom('regular', 'bonus', 'correction', 'reversal', 'partial-reversal');
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        size,
        fc.constantFrom('TX', 'CA', 'NY'),
        kind,
        fc.constantFrom<'residual' | 'none'>('residual', 'none'),
        async (employees, state, what, pto) => {
          runs++;
          sb.knobs.hourlyPtoPay = pto;
          const company = sb.scenario.createCompany({ state }).uuid;
          const token = (await connect(sb, company)).access_token;
          const offCycle = what === 'bonus' || what === 'correction';
          let payroll = sb.scenario.runPayroll(company, {
            employees,
            offCycle,
            offCycleReason: what === 'correction' ? 'Correction' : 'Bonus',
            webhook: false,
          });
          const reversal = what.endsWith('reversal');
          if (reversal) {
            const { comps } = await readPayroll(sb, token, company, payroll.uuid);
            const chosen =
              what === 'partial-reversal'
                ? comps.filter((_, i) => i % 2 === 0).map((c) => c.employee_uuid as string)
                : undefined;
            payroll = sb.scenario.reversePayroll(payroll.uuid, { employeeUuids: chosen });
          }
          const { totals, comps } = await readPayroll(sb, token, company, payroll.uuid);
          expect(comps).toHaveLength(payroll.employee_count);
          checkConsistent(totals, comps, reversal);
        },
      ),
      { numRuns: 50, seed: 20261126 },
    );
    expect(runs).toBe(50);
  });
});
