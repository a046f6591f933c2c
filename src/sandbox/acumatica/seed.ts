/** Seeded tenant data: a US professional-services firm's chart of accounts, subaccounts, departments, employees. */

export interface SeedAccount {
  cd: string;
  description: string;
  type: 'Asset' | 'Liability' | 'Income' | 'Expense';
  accountClass: string;
  active?: boolean;
  cash?: boolean;
}

export const SEED_ACCOUNTS: SeedAccount[] = [
  { cd: '10100', description: 'Company Checking Account', type: 'Asset', accountClass: 'CASHASSET', cash: true },
  { cd: '10200', description: 'Payroll Checking Account', type: 'Asset', accountClass: 'CASHASSET', cash: true },
  { cd: '10500', description: 'Petty Cash', type: 'Asset', accountClass: 'CASHASSET', cash: true },
  { cd: '11000', description: 'Accounts Receivable', type: 'Asset', accountClass: 'AR' },
  { cd: '12000', description: 'Prepaid Expenses', type: 'Asset', accountClass: 'CURASSET' },
  { cd: '15000', description: 'Computer Equipment', type: 'Asset', accountClass: 'FIXASSET' },
  { cd: '15900', description: 'Accumulated Depreciation', type: 'Asset', accountClass: 'FIXASSET' },
  { cd: '20000', description: 'Accounts Payable', type: 'Liability', accountClass: 'AP' },
  { cd: '21000', description: 'Employer Payroll Taxes Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21100', description: 'Payroll Taxes Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21200', description: 'Payroll Deductions Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21210', description: '401(k) Deferrals Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21300', description: '401(k) Contributions Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21400', description: 'Health Insurance Payable', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '21500', description: 'Net Payroll Clearing', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '22000', description: 'Accrued Liabilities', type: 'Liability', accountClass: 'CURLIAB' },
  { cd: '25000', description: 'Line of Credit', type: 'Liability', accountClass: 'LTLIAB' },
  { cd: '30000', description: 'Retained Earnings', type: 'Liability', accountClass: 'EQUITY' },
  { cd: '39000', description: 'Year to Date Net Income', type: 'Liability', accountClass: 'EQUITY' },
  { cd: '40000', description: 'Professional Services Revenue', type: 'Income', accountClass: 'REVENUE' },
  { cd: '41000', description: 'Consulting Revenue', type: 'Income', accountClass: 'REVENUE' },
  { cd: '50000', description: 'Subcontractor Costs', type: 'Expense', accountClass: 'COGS' },
  { cd: '60000', description: 'Salaries and Wages', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '60010', description: 'Overtime Wages', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '60100', description: 'Salaries and Wages', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '60200', description: 'Employer Payroll Taxes', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '60300', description: 'Employee Benefits Expense', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '61000', description: 'Employer Payroll Tax Expense', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '62000', description: 'Employer Benefits Expense', type: 'Expense', accountClass: 'PAYROLL' },
  { cd: '63000', description: 'Rent Expense', type: 'Expense', accountClass: 'OPEX' },
  { cd: '64000', description: 'Employee Reimbursements', type: 'Expense', accountClass: 'OPEX' },
  { cd: '65000', description: 'Software Subscriptions', type: 'Expense', accountClass: 'OPEX' },
  { cd: '66000', description: 'Professional Fees', type: 'Expense', accountClass: 'OPEX' },
  { cd: '67000', description: 'Travel and Meals', type: 'Expense', accountClass: 'OPEX' },
  {
    cd: '69000',
    description: 'Payroll Expense - Old (do not use)',
    type: 'Expense',
    accountClass: 'PAYROLL',
    active: false,
  },
];

/** The YTD Net Income account (posting to it directly is refused). */
export const YTD_NET_INCOME = '39000';

export const SEED_SUBACCOUNTS: Array<{ cd: string; description: string; active?: boolean }> = [
  { cd: '000000', description: 'Default' },
  { cd: '100000', description: 'Engineering' },
  { cd: '200000', description: 'Sales' },
  { cd: '300000', description: 'Operations' },
  { cd: '400000', description: 'Finance and Administration' },
  { cd: 'ENG000', description: 'Engineering' },
  { cd: 'SAL000', description: 'Sales' },
  { cd: 'OPS000', description: 'Operations' },
  { cd: 'ADM000', description: 'Administration' },
  { cd: '900000', description: 'Discontinued department', active: false },
];

export const SEED_DEPARTMENTS = ['ADMIN', 'ENG', 'SALES', 'OPS', 'FIN'];
export const SEED_BRANCHES = ['HEADOFFICE', 'HQ'];
export const SEED_LEDGERS = ['ACTUAL'];
export const SEED_EMPLOYEE_CLASSES = ['EMPSTAND', 'EMPSALARIED', 'EMPHOURLY'];

/** Employees keyed in by hand before the connector existed (no EmployeeRefNbr). */
export const SEED_EMPLOYEES: Array<{ first: string; last: string; email: string; department: string; start: string }> =
  [
    {
      first: 'Dana',
      last: 'Whitfield',
      email: 'dana.whitfield@acme.example',
      department: 'ADMIN',
      start: '2019-03-04',
    },
    {
      first: 'Marcus',
      last: 'Oyelaran',
      email: 'marcus.oyelaran@acme.example',
      department: 'FIN',
      start: '2021-08-16',
    },
  ];

export const DEFAULT_TENANT = 'AcmeCorp';
export const DEFAULT_USERS = [{ username: 'api.gusto', password: 'Sandbox-Passw0rd!' }];
export const DEFAULT_CLIENT_GUID = '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD';
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret';
export const DEFAULT_VERSIONS = ['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001'];
export const BUILD_VERSION = '25.200.0248';
/** Seed timestamps (LastModifiedDateTime of seeded rows). */
export const SEED_TIME = '2024-11-01T09:15:30.200Z';
