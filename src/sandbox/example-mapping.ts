/**
 * The interface spec's example account mapping. Every account and subaccount it names is seeded, and
 * active, in the Acumatica sandbox, so the demo, the benchmarks and the tests can all start from it.
 * A fresh object per call: callers may change it (e.g. an override) without touching anyone else's.
 */
export const exampleMapping = (branch = 'HQ') => ({
  journal: { branch, ledger: 'ACTUAL', detail: 'summary' as const, release: false },
  accounts: {
    earnings: { account: '60000', subaccount: '000000' },
    'earnings:Overtime': { account: '60010' },
    employerTaxExpense: { account: '61000' },
    employerTaxLiability: { account: '21000' },
    employeeTaxLiability: { account: '21100' },
    deductionLiability: { account: '21200' },
    'deductionLiability:401(k)': { account: '21210' },
    benefitExpense: { account: '62000' },
    benefitLiability: { account: '21300' },
    reimbursementExpense: { account: '64000' },
    netPay: { account: '10100' },
  } as Record<string, { account: string; subaccount?: string }>,
  subaccountsByDepartment: { Engineering: '100000' } as Record<string, string>,
  employees: {
    defaultDepartment: 'ADMIN',
    departments: { Engineering: 'ENG' } as Record<string, string>,
    employeeClass: 'EMPSTAND',
  },
});

/**
 * The accounts bank cash mode adds to the example (issue 14): one cash line per Gusto withdrawal on the payroll
 * checking account (10200), paper checks on the clearing account (21500). A fresh object per call.
 */
export const bankCashAccounts = () => ({
  netPayDebit: { account: '10200' },
  taxDebit: { account: '10200' },
  reimbursementDebit: { account: '10200' },
  childSupportDebit: { account: '10200' },
  outstandingChecks: { account: '21500' },
});
