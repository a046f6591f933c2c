/**
 * Pay components → postings: (role, component name, signed cents) per detail group. The accounting
 * treatment of each component kind lives here, in one table (`ROLES_OF`).
 */
import type { Cents } from '../money';
import type { ComponentKind, PayrollPay } from '../payroll/pay-components';
import { ROLE_SIDE, type DetailLevel, type Role } from '../mapping/account-mapping';

/**
 * Debit roles first, then credit roles; each component posts to every role listed, same amount.
 * - cashTips: none. Customers paid them to the employee directly: they are not the company's wage
 *   expense and not paid out, and net pay already excludes them. The employer taxes on them and the
 *   employee taxes withheld for them are ordinary tax components. (Paycheck Tips are paid through
 *   payroll and are ordinary earnings.)
 * - benefitCompany: the premium the company owes the carrier is an expense and a liability (Gusto does
 *   not pay carriers).
 * - benefitImputed (an `imputed: true` benefit's company contribution, e.g. group-term life over $50k):
 *   none. It is taxable income, not cash and not in gross pay: nobody incurred it as an expense and
 *   nobody will pay it. Only the taxes on it move money, and they are ordinary tax components.
 * - reimbursement: an expense, paid out with net pay (credit netPay under the reimbursement's name).
 */
export const ROLES_OF: Record<ComponentKind, readonly Role[]> = {
  earning: ['earnings'],
  cashTips: [],
  employeeTax: ['employeeTaxLiability'],
  employerTax: ['employerTaxExpense', 'employerTaxLiability'],
  benefitEmployee: ['deductionLiability'],
  benefitCompany: ['benefitExpense', 'benefitLiability'],
  benefitImputed: [],
  deduction: ['deductionLiability'],
  reimbursement: ['reimbursementExpense', 'netPay'],
  netPay: ['netPay'],
};

/** Who a posting belongs to: nobody (summary, company taxes), a department, or an employee. */
export interface PostingGroup {
  department: string | null;
  employeeUuid: string | null;
  employeeName: string | null;
}

export interface Posting {
  role: Role;
  component: string;
  cents: Cents;
  group: PostingGroup;
  /** A line of its own, never merged with another role's (cash lines: one per Gusto withdrawal). */
  separate?: boolean;
  /** The line memo, instead of the one built from role and component names. */
  memo?: string;
}

export interface CollectOptions {
  /** `journal.splitLiabilitiesByDepartment`: credit (liability) postings keep their department too. */
  splitLiabilities?: boolean;
}

const COMPANY: PostingGroup = { department: null, employeeUuid: null, employeeName: null };

/**
 * Sums components by (group, kind, name), then expands kinds to roles. In `department` detail only the
 * debit (expense) roles keep their department (credit roles too with `splitLiabilities`); credit roles
 * are otherwise summed across departments.
 */
export function collectPostings(pay: PayrollPay, detail: DetailLevel, options: CollectOptions = {}): Posting[] {
  const groups = new Map<string, { group: PostingGroup; sums: Map<ComponentKind, Map<string, Cents>> }>();
  const groupOf = (key: string, group: PostingGroup) => {
    let g = groups.get(key);
    if (g === undefined) {
      g = { group, sums: new Map() };
      groups.set(key, g);
    }
    return g.sums;
  };
  const add = (sums: Map<ComponentKind, Map<string, Cents>>, kind: ComponentKind, name: string, cents: Cents) => {
    let byName = sums.get(kind);
    if (byName === undefined) {
      byName = new Map();
      sums.set(kind, byName);
    }
    byName.set(name, (byName.get(name) ?? 0) + cents);
  };

  const company = groupOf('', COMPANY);
  for (const t of pay.companyTaxes) add(company, 'employerTax', t.name, t.cents);
  for (const e of pay.employees) {
    let sums = company;
    if (detail === 'department') {
      sums = e.department === null ? company : groupOf(`d:${e.department}`, { ...COMPANY, department: e.department });
    } else if (detail === 'employee') {
      sums = groupOf(`e:${e.employeeUuid}`, {
        department: e.department,
        employeeUuid: e.employeeUuid,
        employeeName: e.displayName,
      });
    }
    const cs = e.components;
    for (let i = 0; i < cs.length; i++) add(sums, cs[i].kind, cs[i].name, cs[i].cents);
  }

  const postings: Posting[] = [];
  for (const { group, sums } of groups.values()) {
    for (const [kind, byName] of sums) {
      for (const role of ROLES_OF[kind]) {
        const g =
          detail === 'department' && ROLE_SIDE[role] === 'credit' && options.splitLiabilities !== true
            ? COMPANY
            : group;
        // A component that sums to zero posts nothing and needs no mapping.
        for (const [component, cents] of byName) if (cents !== 0) postings.push({ role, component, cents, group: g });
      }
    }
  }
  return postings;
}
