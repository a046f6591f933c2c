/** Makes employee records: given fields win, the rest is drawn from the seeded random source. */
import type { Company, EmployeeRecord, PayProfile } from './model';
import { addDays, isDate, parseCents } from './support';
import { ScenarioError, type World } from './world';

export interface EmployeeInput {
  firstName?: string;
  lastName?: string;
  email?: string;
  department?: string | null;
  jobTitle?: string;
  /** Decimal string: yearly salary when paymentUnit is 'Year', hourly rate when 'Hour'. */
  rate?: string;
  paymentUnit?: 'Year' | 'Hour';
  hireDate?: string;
  paymentMethod?: 'Direct Deposit' | 'Check';
  /** A court-ordered child support garnishment per payroll (decimal string), remitted by Gusto (`child_support_debit`). */
  childSupport?: string;
}

const FIRST = [
  'Avery',
  'Jordan',
  'Priya',
  'Marcus',
  'Elena',
  'Kwame',
  'Sofia',
  'Hiro',
  'Noor',
  'Liam',
  'Maya',
  'Diego',
  'Aisha',
  'Tomás',
  'Grace',
  'Oren',
];
const LAST = [
  'Chen',
  'Ruiz',
  'Natarajan',
  'Webb',
  'Okafor',
  'Novak',
  'Tanaka',
  'Haddad',
  'Smith',
  'García',
  'Kowalski',
  'Nguyen',
  'Larsen',
  'Mensah',
];
const DEPARTMENTS = ['Engineering', 'Operations', 'Sales', 'Finance'];
const TITLES: Record<string, { title: string; unit: 'Year' | 'Hour' }> = {
  Engineering: { title: 'Software Engineer', unit: 'Year' },
  Operations: { title: 'Warehouse Associate', unit: 'Hour' },
  Sales: { title: 'Account Executive', unit: 'Year' },
  Finance: { title: 'Accountant', unit: 'Year' },
};

const drawProfile = (world: World): PayProfile => {
  const rng = world.rng;
  const retirementBp = rng.chance(0.5) ? rng.bigint(2, 10) * 100n : null;
  const medical = rng.chance(0.5)
    ? { employee: rng.bigint(50, 200) * 100n, company: rng.bigint(250, 600) * 100n }
    : null;
  let postTax: PayProfile['postTax'] = null;
  if (rng.chance(0.12)) {
    const childSupport = rng.chance(0.4);
    postTax = {
      uuid: rng.uuid(),
      name: childSupport ? 'Child Support' : rng.pick(['Equipment Loan Repayment', 'Union Dues']),
      cents: rng.bigint(25, 300) * 100n,
      courtOrdered: childSupport,
      childSupport,
    };
  }
  return { retirementBp, medical, postTax };
};

export const newEmployeeRecord = (world: World, company: Company, input: EmployeeInput): EmployeeRecord => {
  const rng = world.rng;
  if (input.rate !== undefined) {
    try {
      if (parseCents(input.rate) <= 0n) throw new Error('not positive');
    } catch {
      throw new ScenarioError(422, `rate must be a positive decimal string, got ${input.rate}`);
    }
  }
  if (input.childSupport !== undefined) {
    try {
      if (parseCents(input.childSupport) <= 0n) throw new Error('not positive');
    } catch {
      throw new ScenarioError(422, `childSupport must be a positive decimal string, got ${input.childSupport}`);
    }
  }
  if (input.hireDate !== undefined && !isDate(input.hireDate))
    throw new ScenarioError(422, 'hireDate must be YYYY-MM-DD');
  if (input.paymentUnit !== undefined && input.paymentUnit !== 'Year' && input.paymentUnit !== 'Hour')
    throw new ScenarioError(422, "paymentUnit must be 'Year' or 'Hour'");
  const firstName = input.firstName ?? rng.pick(FIRST);
  const lastName = input.lastName ?? rng.pick(LAST);
  const department = input.department === undefined ? rng.pick(DEPARTMENTS) : input.department;
  const preset = TITLES[department ?? ''] ?? { title: 'Associate', unit: 'Hour' as const };
  const paymentUnit = input.paymentUnit ?? preset.unit;
  const rate =
    input.rate ??
    (paymentUnit === 'Year'
      ? `${rng.int(45, 160) * 1000}.00`
      : `${rng.int(16, 45)}.${rng.pick(['00', '25', '50', '75'])}`);
  const uuid = rng.uuid();
  const slug = `${firstName}.${lastName}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  const hireDate = input.hireDate ?? addDays(world.clock.today(), -rng.int(30, 2000));
  const deptUuid = department === null ? null : departmentUuid(world, company, department);
  return {
    uuid,
    companyUuid: company.uuid,
    firstName,
    middleInitial: null,
    lastName,
    email: input.email ?? `${slug}.${uuid.slice(0, 8)}@example.com`,
    workEmail: `${slug}.${uuid.slice(0, 8)}@${company.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    phone: `512555${rng.int(1000, 9999)}`,
    dateOfBirth: addDays('1990-01-01', rng.int(-9000, 4000)),
    department,
    departmentUuid: deptUuid,
    jobUuid: rng.uuid(),
    jobVersion: 1,
    jobTitle: input.jobTitle ?? preset.title,
    compensationUuid: rng.uuid(),
    rate,
    paymentUnit,
    hireDate,
    compensationEffectiveDate: hireDate,
    paymentMethod: input.paymentMethod ?? (rng.chance(0.1) ? 'Check' : 'Direct Deposit'),
    employeeCode: rng.hex(6),
    managerUuid: null,
    version: 1,
    termination: null,
    rehire: null,
    history: [],
    profile: withChildSupport(world, drawProfile(world), input.childSupport),
    createdAt: world.nowIso(),
  };
};

const withChildSupport = (world: World, profile: PayProfile, amount: string | undefined): PayProfile =>
  amount === undefined
    ? profile
    : {
        ...profile,
        postTax: {
          uuid: world.rng.uuid(),
          name: 'Child Support',
          cents: parseCents(amount),
          courtOrdered: true,
          childSupport: true,
        },
      };

/** The uuid of a company's department by its title (a new title gets a new uuid). */
export const departmentUuid = (world: World, company: Company, title: string): string => {
  const existing = company.departments.get(title);
  if (existing) return existing;
  const uuid = world.rng.uuid();
  company.departments.set(title, uuid);
  return uuid;
};
