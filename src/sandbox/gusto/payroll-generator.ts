/**
 * Generates internally consistent payroll amounts in integer cents:
 *   gross − employee taxes − employee benefit deductions − post-tax deductions = net
 *   check = net + reimbursements;  totals = sums over employees.
 */
import type { CompensationRecord, Company, EmployeeRecord, HourlyLine, TaxLine, Totals, TotalKey } from './model';
import { TOTAL_KEYS } from './model';
import { divRound, parseCents, pct, sum, type Cents, type SeededRandom } from './support';

export interface GenerateOptions {
  offCycleReason: string | null;
  external: boolean;
  hourlyPtoPay: 'residual' | 'none';
}

const hourlyAmount = (milliHours: bigint, rateCents: Cents, multiplierTenths: bigint): Cents =>
  divRound(milliHours * rateCents * multiplierTenths, 10_000n);

export const generateCompensation = (
  rng: SeededRandom,
  company: Company,
  employee: EmployeeRecord,
  options: GenerateOptions,
): CompensationRecord => {
  const rate = parseCents(employee.rate);
  const salaried = employee.paymentUnit === 'Year';
  const flsa = salaried ? 'Exempt' : 'Nonexempt';
  const bonusOnly = options.offCycleReason === 'Bonus';
  const hourly: HourlyLine[] = [];
  const fixed: CompensationRecord['fixed'] = [];
  const pto: CompensationRecord['pto'] = [];
  let residual = 0n;

  if (!bonusOnly) {
    if (salaried) {
      hourly.push({
        name: 'Regular Hours',
        milliHours: 80_000n,
        cents: divRound(rate, 26n),
        multiplier: 1,
        flsaStatus: flsa,
        jobUuid: employee.jobUuid,
      });
    } else {
      const regular = rng.bigint(240, 320) * 250n; // 60–80 h in quarter hours
      hourly.push({
        name: 'Regular Hours',
        milliHours: regular,
        cents: hourlyAmount(regular, rate, 10n),
        multiplier: 1,
        flsaStatus: flsa,
        jobUuid: employee.jobUuid,
      });
      if (rng.chance(0.4)) {
        const overtime = rng.bigint(4, 48) * 250n;
        hourly.push({
          name: 'Overtime',
          milliHours: overtime,
          cents: hourlyAmount(overtime, rate, 15n),
          multiplier: 1.5,
          flsaStatus: flsa,
          jobUuid: employee.jobUuid,
        });
      }
    }
    const vacation = rng.chance(0.3) ? rng.bigint(4, 16) * 1000n : 0n;
    const sick = rng.chance(0.15) ? rng.bigint(2, 8) * 1000n : 0n;
    pto.push({ name: 'Vacation Hours', milliHours: vacation }, { name: 'Sick Hours', milliHours: sick });
    // PTO pay of hourly staff: in gross, but no earning line carries it (reference §8, §9.9).
    if (!salaried && options.hourlyPtoPay === 'residual') residual = hourlyAmount(vacation + sick, rate, 10n);
    if (rng.chance(0.1)) fixed.push({ name: 'Bonus', cents: rng.bigint(100, 1000) * 100n, jobUuid: employee.jobUuid });
  } else {
    fixed.push({ name: 'Bonus', cents: rng.bigint(250, 5000) * 100n, jobUuid: employee.jobUuid });
  }

  const gross = sum(hourly.map((h) => h.cents)) + sum(fixed.map((f) => f.cents)) + residual;
  const profile = employee.profile;
  const withDeductions = !bonusOnly && !options.external;
  const benefits: CompensationRecord['benefits'] = [];
  if (withDeductions && profile.retirementBp !== null) {
    const employeeShare = pct(gross, profile.retirementBp);
    benefits.push({
      name: '401(k)',
      employee: employeeShare,
      company: pct(gross, profile.retirementBp < 400n ? profile.retirementBp : 400n),
    });
  }
  if (withDeductions && profile.medical) benefits.push({ name: 'Medical Insurance', ...profile.medical });
  // Group-term life over $50,000 of coverage (salaried at $100k or more, coverage = salary): the cost of
  // the excess coverage is imputed income — taxed (FICA), not paid, not in gross. Derived from the salary,
  // not drawn, so the seeded random sequence (and every other figure) is unchanged.
  let imputed = 0n;
  if (withDeductions && salaried && rate >= 10_000_000n) {
    imputed = divRound((rate - 5_000_000n) * 2n, 26_000n); // ≈ $0.20 per $1,000 of excess coverage a month, per biweekly period
    if (imputed > 0n) benefits.push({ name: 'Group Term Life', employee: 0n, company: imputed, imputed: true });
  }
  const retirement = benefits.find((b) => b.name === '401(k)')?.employee ?? 0n;
  const section125 = benefits.find((b) => b.name === 'Medical Insurance')?.employee ?? 0n;

  const ficaWages = gross - section125 + imputed;
  const incomeWages = gross - section125 - retirement;
  const taxes: TaxLine[] = [
    { name: 'Federal Income Tax', employer: false, cents: pct(incomeWages, bonusOnly ? 2200n : rng.bigint(800, 1500)) },
    { name: 'Social Security', employer: false, cents: pct(ficaWages, 620n) },
    { name: 'Medicare', employer: false, cents: pct(ficaWages, 145n) },
  ];
  if (company.state === 'CA') {
    taxes.push({ name: 'CA State Income Tax', employer: false, cents: pct(incomeWages, rng.bigint(200, 600)) });
    taxes.push({ name: 'CA SDI', employer: false, cents: pct(ficaWages, 120n) });
  }
  taxes.push(
    { name: 'Social Security', employer: true, cents: pct(ficaWages, 620n) },
    { name: 'Medicare', employer: true, cents: pct(ficaWages, 145n) },
    { name: 'FUTA', employer: true, cents: pct(ficaWages, 60n) },
  );
  if (company.state === 'CA') {
    taxes.push(
      { name: 'CA SUI', employer: true, cents: pct(ficaWages, 340n) },
      { name: 'CA ETT', employer: true, cents: pct(ficaWages, 10n) },
    );
  } else {
    taxes.push({ name: `${company.state} SUTA`, employer: true, cents: pct(ficaWages, 270n) });
  }

  const employeeTaxes = sum(taxes.filter((t) => !t.employer).map((t) => t.cents));
  const employeeBenefits = sum(benefits.map((b) => b.employee));
  const beforePostTax = gross - employeeTaxes - employeeBenefits;
  const deductions: CompensationRecord['deductions'] = [];
  if (withDeductions && profile.postTax && beforePostTax > 0n) {
    const cap = beforePostTax / 2n;
    deductions.push({ name: profile.postTax.name, cents: profile.postTax.cents < cap ? profile.postTax.cents : cap });
  }
  const reimbursements: CompensationRecord['reimbursements'] = [];
  if (!bonusOnly && rng.chance(0.15))
    reimbursements.push({ name: rng.pick(['Mileage', 'Home Office', 'Travel']), cents: rng.bigint(1000, 15000) });

  const net = beforePostTax - sum(deductions.map((d) => d.cents));
  return {
    employeeUuid: employee.uuid,
    firstName: employee.firstName,
    lastName: employee.lastName,
    paymentMethod: options.external ? 'Historical' : employee.paymentMethod,
    hourly,
    fixed,
    pto,
    reimbursements,
    deductions,
    taxes,
    benefits,
    gross,
    net,
    check: net + sum(reimbursements.map((r) => r.cents)),
  };
};

export const computeTotals = (comps: readonly CompensationRecord[]): Totals => {
  const totals = Object.fromEntries(TOTAL_KEYS.map((k) => [k, 0n])) as Record<TotalKey, Cents>;
  for (const c of comps) {
    const reimbursed = sum(c.reimbursements.map((r) => r.cents));
    totals.gross_pay += c.gross;
    totals.net_pay += c.net;
    totals.employee_taxes += sum(c.taxes.filter((t) => !t.employer).map((t) => t.cents));
    totals.employer_taxes += sum(c.taxes.filter((t) => t.employer).map((t) => t.cents));
    totals.benefits += sum(c.benefits.map((b) => b.company)); // imputed contributions included (one reading of Gusto's total)
    totals.imputed_pay += sum(c.benefits.filter((b) => b.imputed === true).map((b) => b.company));
    totals.employee_benefits_deductions += sum(c.benefits.map((b) => b.employee));
    totals.other_deductions += sum(c.deductions.map((d) => d.cents));
    totals.child_support_debit += sum(c.deductions.filter((d) => d.name === 'Child Support').map((d) => d.cents));
    totals.reimbursements += reimbursed;
    totals.employee_bonuses += sum(c.fixed.filter((f) => f.name === 'Bonus').map((f) => f.cents));
    if (c.paymentMethod === 'Check')
      totals.check_amount += c.net; // paper-check net pay (reference §4.4)
    else if (c.paymentMethod === 'Direct Deposit') {
      totals.net_pay_debit += c.net;
      totals.reimbursement_debit += reimbursed;
    }
  }
  totals.tax_debit = totals.employee_taxes + totals.employer_taxes;
  totals.company_debit =
    totals.net_pay_debit + totals.tax_debit + totals.reimbursement_debit + totals.child_support_debit;
  return totals;
};

/** A reversal payroll: the same lines with every amount (and hour) negated, or kept as-is (knob). */
export const reverseCompensation = (c: CompensationRecord, sign: 'negative' | 'positive'): CompensationRecord => {
  const f = sign === 'negative' ? -1n : 1n;
  return {
    ...c,
    hourly: c.hourly.map((h) => ({ ...h, milliHours: h.milliHours * f, cents: h.cents * f })),
    fixed: c.fixed.map((x) => ({ ...x, cents: x.cents * f })),
    pto: c.pto.map((p) => ({ ...p, milliHours: p.milliHours * f })),
    reimbursements: c.reimbursements.map((x) => ({ ...x, cents: x.cents * f })),
    deductions: c.deductions.map((x) => ({ ...x, cents: x.cents * f })),
    taxes: c.taxes.map((x) => ({ ...x, cents: x.cents * f })),
    benefits: c.benefits.map((b) => ({ ...b, employee: b.employee * f, company: b.company * f })),
    gross: c.gross * f,
    net: c.net * f,
    check: c.check * f,
  };
};
