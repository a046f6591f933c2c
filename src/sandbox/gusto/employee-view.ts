/** Employee records → Gusto's `Employee` JSON (shape of gusto-samples/employees-list-page.json). */
import type { EmployeeRecord } from './model';
import { formatCents, parseCents } from './support';
import type { World } from './world';

const version = (seed: string, n: number): string => {
  // Opaque 32-hex "version" that moves when the record changes.
  let h = 2166136261;
  for (const ch of `${seed}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(4).slice(0, 32);
};

const rate = (e: EmployeeRecord): string => formatCents(parseCents(e.rate));

export const renderEmployee = (world: World, e: EmployeeRecord): Record<string, unknown> => {
  const company = world.companies.get(e.companyUuid);
  const flsa = e.paymentUnit === 'Year' ? 'Exempt' : 'Nonexempt';
  const terminationActive = world.terminationActive(e);
  return {
    uuid: e.uuid,
    first_name: e.firstName,
    middle_initial: e.middleInitial,
    last_name: e.lastName,
    email: e.email,
    company_uuid: e.companyUuid,
    manager_uuid: e.managerUuid,
    version: version(e.uuid, e.version),
    department: e.department,
    department_uuid: e.departmentUuid,
    terminated: world.terminatedFlag(e),
    two_percent_shareholder: false,
    work_email: e.workEmail,
    onboarded: true,
    onboarding_status: 'onboarding_completed',
    onboarding_documents_config: { uuid: null, i9_document: false },
    jobs: [
      {
        uuid: e.jobUuid,
        version: version(e.jobUuid, e.jobVersion),
        employee_uuid: e.uuid,
        hire_date: e.hireDate,
        title: e.jobTitle,
        primary: true,
        rate: rate(e),
        payment_unit: e.paymentUnit,
        current_compensation_uuid: e.compensationUuid,
        two_percent_shareholder: false,
        state_wc_covered: null,
        state_wc_class_code: null,
        location_uuid: company?.locationUuid ?? null,
        compensations: [
          {
            uuid: e.compensationUuid,
            version: version(e.compensationUuid, e.jobVersion),
            job_uuid: e.jobUuid,
            employee_uuid: e.uuid,
            rate: rate(e),
            payment_unit: e.paymentUnit,
            flsa_status: flsa,
            effective_date: e.compensationEffectiveDate,
            title: e.jobTitle,
            adjust_for_minimum_wage: false,
            minimum_wages: [],
          },
        ],
      },
    ],
    eligible_paid_time_off: [
      {
        name: 'Vacation Hours',
        policy_name: 'Vacation Policy',
        policy_uuid: `${e.companyUuid.slice(0, 24)}0a1b2c3d4e5f`,
        accrual_unit: 'Hour',
        accrual_rate: '120.0',
        accrual_method: 'per_pay_period',
        accrual_period: 'Year',
        accrual_balance: '40.0',
        maximum_accrual_balance: '160.0',
        paid_at_termination: true,
      },
      {
        name: 'Sick Hours',
        policy_name: 'Sick Policy',
        policy_uuid: `${e.companyUuid.slice(0, 24)}1b2c3d4e5f60`,
        accrual_unit: 'Hour',
        accrual_rate: '40.0',
        accrual_method: 'per_hour_worked',
        accrual_period: 'Year',
        accrual_balance: '16.0',
        maximum_accrual_balance: '80.0',
        paid_at_termination: false,
      },
    ],
    terminations: e.termination
      ? [
          {
            uuid: e.termination.uuid,
            version: version(e.termination.uuid, e.termination.version),
            employee_uuid: e.uuid,
            active: terminationActive,
            cancelable: !e.termination.runTerminationPayroll && !terminationActive,
            effective_date: e.termination.effectiveDate,
            run_termination_payroll: e.termination.runTerminationPayroll,
          },
        ]
      : [],
    garnishments: e.profile.postTax
      ? [
          {
            uuid: e.profile.postTax.uuid,
            version: version(e.profile.postTax.uuid, 1),
            employee_uuid: e.uuid,
            active: true,
            amount: formatCents(e.profile.postTax.cents),
            description: e.profile.postTax.name,
            court_ordered: e.profile.postTax.courtOrdered,
            times: e.profile.postTax.courtOrdered ? null : 12,
            recurring: e.profile.postTax.courtOrdered,
            annual_maximum: null,
            total_amount: e.profile.postTax.courtOrdered ? null : formatCents(e.profile.postTax.cents * 12n),
            pay_period_maximum: null,
            deduct_as_percentage: false,
            garnishment_type: e.profile.postTax.childSupport ? 'child_support' : null,
            child_support: null,
          },
        ]
      : [],
    date_of_birth: e.dateOfBirth,
    has_ssn: true,
    ssn: '',
    phone: e.phone,
    preferred_first_name: null,
    payment_method: e.paymentMethod,
    current_employment_status: 'full_time',
    historical: false,
    employee_code: e.employeeCode,
  };
};

export const renderRehire = (e: EmployeeRecord): Record<string, unknown> | null =>
  e.rehire
    ? {
        version: version(`${e.uuid}:rehire`, e.version),
        employee_uuid: e.uuid,
        effective_date: e.rehire.effectiveDate,
        file_new_hire_report: false,
        work_location_uuid: null,
        employment_status: 'full_time',
        two_percent_shareholder: false,
        active: true,
      }
    : null;

export const renderEmploymentHistory = (e: EmployeeRecord): Array<Record<string, unknown>> => [
  ...e.history.map((h) => ({
    hire_date: h.hireDate,
    termination_date: h.terminationDate,
    file_new_hire_report: false,
    two_percent_shareholder: false,
    employment_status: 'full_time',
  })),
  {
    hire_date: e.rehire?.effectiveDate ?? e.hireDate,
    termination_date: e.termination?.effectiveDate ?? null,
    file_new_hire_report: false,
    two_percent_shareholder: false,
    employment_status: 'full_time',
  },
];
