/** The mapping's roles (README "Account mapping"), grouped as an accountant meets them. */
export interface RoleInfo {
  role: string;
  side: 'debit' | 'credit' | 'either';
  what: string;
}

export const ROLE_GROUPS: Array<{ title: string; note?: string; roles: RoleInfo[] }> = [
  {
    title: 'Payroll roles',
    roles: [
      { role: 'earnings', side: 'debit', what: 'Gross pay, per compensation' },
      { role: 'employerTaxExpense', side: 'debit', what: 'Employer payroll taxes' },
      { role: 'benefitExpense', side: 'debit', what: 'Company benefit contributions' },
      { role: 'reimbursementExpense', side: 'debit', what: 'Reimbursements' },
      { role: 'netPay', side: 'credit', what: 'Net pay plus reimbursements (what is paid out)' },
      { role: 'employeeTaxLiability', side: 'credit', what: 'Taxes withheld from employees' },
      { role: 'employerTaxLiability', side: 'credit', what: 'Employer taxes payable' },
      { role: 'deductionLiability', side: 'credit', what: 'Employee deductions and benefit shares' },
      { role: 'benefitLiability', side: 'credit', what: 'Company contributions payable' },
    ],
  },
  {
    title: 'Bank cash mode',
    note: 'Used when the cash mode is “one line per bank withdrawal”.',
    roles: [
      { role: 'netPayDebit', side: 'credit', what: 'Net pay withdrawal' },
      { role: 'taxDebit', side: 'credit', what: 'Tax withdrawal' },
      { role: 'reimbursementDebit', side: 'credit', what: 'Reimbursement withdrawal' },
      { role: 'childSupportDebit', side: 'credit', what: 'Child support withdrawal' },
      { role: 'outstandingChecks', side: 'credit', what: 'Paper checks not yet cashed' },
    ],
  },
  {
    title: 'Rounding and accrual',
    roles: [
      { role: 'rounding', side: 'either', what: 'Differences within the rounding tolerance' },
      { role: 'accruedPayroll', side: 'credit', what: 'Month-end accrual of pay earned in an earlier month' },
    ],
  },
];

export const ALL_ROLES = ROLE_GROUPS.flatMap((g) => g.roles.map((r) => r.role));
