import type { Journal } from '../../../src/domain/journal/journal';

/** The interface spec's example mapping: every account and subaccount exists and is active in the Acumatica sandbox seed. */
export const goodMapping = () => ({
  journal: { branch: 'HEADOFFICE', ledger: 'ACTUAL', detail: 'summary', release: false },
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
  },
  subaccountsByDepartment: { Engineering: '100000' },
  employees: { defaultDepartment: 'ADMIN', departments: { Engineering: 'ENG' }, employeeClass: 'EMPSTAND' },
});

export const tinyJournal = (payrollUuid: string, amounts: Array<[string, string, 'debit' | 'credit']>, checkDate: string): Journal => ({
  tag: `gusto:${payrollUuid}`,
  payrollUuid,
  kind: 'payroll',
  header: { branch: 'HEADOFFICE', ledger: 'ACTUAL', transactionDate: checkDate, description: `Gusto payroll ${checkDate} [gusto:${payrollUuid}]`, release: false },
  lines: amounts.map(([account, amount, side]) => ({ account, amount, side, memo: `${side} ${account}`, mappingKey: 'earnings' })),
  totals: { debit: '0', credit: '0' },
  mappingVersion: 1,
  warnings: [],
});
