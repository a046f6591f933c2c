/**
 * Resolved postings → journal lines: merged, sign-normalised, zero lines dropped, in a fixed order.
 *
 * Negative amounts (reversal payrolls) become positive amounts on the other side: Acumatica's
 * journal line carries DebitAmount and CreditAmount, one of them zero (acumatica.md), an accountant
 * reads a reversal as the mirror of the original, and every line amount stays positive so the
 * debit and credit totals mean what they say. Merging happens on signed amounts first (per natural
 * side), so a +100/−100 pair of the same account cancels instead of producing two lines.
 */
import { formatCents, type Cents } from '../money';
import { ROLE_SIDE, ROLES, type Role } from '../mapping/account-mapping';
import type { JournalLine, Side } from './journal';

export interface ResolvedPosting {
  role: Role;
  component: string;
  cents: Cents;
  account: string;
  subaccount?: string;
  mappingKey: string;
  department: string | null;
  employeeUuid: string | null;
  employeeName: string | null;
  /** Never merged with another role (see Posting.separate). */
  separate?: boolean;
  memo?: string;
}

interface Bucket {
  /** The merge key without the side. */
  rest: string;
  account: string;
  subaccount?: string;
  department: string | null;
  employeeUuid: string | null;
  employeeName: string | null;
  /** Signed, positive = the role's natural side; summed per role for the invariant check. */
  byRole: Partial<Record<Role, Cents>>;
  keys: string[];
  components: Partial<Record<Role, string[]>>;
  memo?: string;
}

export interface BuiltLines {
  lines: JournalLine[];
  /** Σ of each role's signed cents over the merged lines (zero lines included). */
  roleTotals: Record<Role, Cents>;
  /** Lines whose amount is not the sum of its role parts (a defect): empty when sound. */
  defects: string[];
  /** Σ of the line amounts per side, in cents. */
  debit: Cents;
  credit: Cents;
}

const MEMO_MAX = 256;
const LABEL: Record<Role, string> = {
  earnings: 'Gross wages',
  employerTaxExpense: 'Employer taxes',
  employerTaxLiability: 'Employer taxes payable',
  employeeTaxLiability: 'Employee taxes withheld',
  deductionLiability: 'Deductions withheld',
  benefitExpense: 'Benefits, company contributions',
  benefitLiability: 'Benefits payable, company contributions',
  reimbursementExpense: 'Reimbursements',
  netPay: 'Net pay and reimbursements payable',
  netPayDebit: 'Gusto withdrawal, net pay (direct deposit)',
  taxDebit: 'Gusto withdrawal, taxes',
  reimbursementDebit: 'Gusto withdrawal, reimbursements (direct deposit)',
  childSupportDebit: 'Gusto withdrawal, child support',
  outstandingChecks: 'Paper checks outstanding',
  rounding: 'Rounding difference against Gusto totals',
  accruedPayroll: 'Accrued payroll',
};
const sign = (side: Side): 1 | -1 => (side === 'debit' ? 1 : -1);

export function buildLines(postings: ResolvedPosting[], perComponent: boolean): BuiltLines {
  const buckets = new Map<string, Bucket>();
  const roleTotals = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, Cents>;
  for (const p of postings) {
    // Signed merge per natural side first; perComponent (employee detail) keeps one line per component.
    const rest = `${p.account}\u0000${p.subaccount ?? ''}\u0000${p.department ?? ''}\u0000${p.employeeUuid ?? ''}${
      perComponent ? `\u0000${p.role}\u0000${p.component}` : ''
    }${p.separate === true ? `\u0000separate\u0000${p.role}` : ''}`;
    const key = `${ROLE_SIDE[p.role]}\u0000${rest}`;
    let b = buckets.get(key);
    if (b === undefined) {
      b = {
        rest,
        account: p.account,
        ...(p.subaccount === undefined ? {} : { subaccount: p.subaccount }),
        department: p.department,
        employeeUuid: p.employeeUuid,
        employeeName: p.employeeName,
        byRole: {},
        keys: [],
        components: {},
        ...(p.memo === undefined ? {} : { memo: p.memo }),
      };
      buckets.set(key, b);
    }
    b.byRole[p.role] = (b.byRole[p.role] ?? 0) + p.cents;
    if (!b.keys.includes(p.mappingKey)) b.keys.push(p.mappingKey);
    const names = (b.components[p.role] ??= []);
    if (!names.includes(p.component)) names.push(p.component);
  }

  // Net each bucket (debit-positive), then merge buckets that land on the same side.
  const finals = new Map<string, { bucket: Bucket; net: Cents; side: Side }>();
  for (const b of buckets.values()) {
    let net = 0;
    for (const role of Object.keys(b.byRole) as Role[]) {
      roleTotals[role] += b.byRole[role] as Cents;
      net += (b.byRole[role] as Cents) * sign(ROLE_SIDE[role]);
    }
    if (net === 0) continue;
    const side: Side = net > 0 ? 'debit' : 'credit';
    const finalKey = `${side}\u0000${b.rest}`;
    const f = finals.get(finalKey);
    if (f === undefined) finals.set(finalKey, { bucket: b, net, side });
    else {
      f.net += net;
      for (const role of Object.keys(b.byRole) as Role[])
        f.bucket.byRole[role] = (f.bucket.byRole[role] ?? 0) + (b.byRole[role] as Cents);
      for (const k of b.keys) if (!f.bucket.keys.includes(k)) f.bucket.keys.push(k);
      for (const role of Object.keys(b.components) as Role[]) {
        const into = (f.bucket.components[role] ??= []);
        for (const c of b.components[role] as string[]) if (!into.includes(c)) into.push(c);
      }
    }
  }

  const defects: string[] = [];
  const lines: JournalLine[] = [];
  let debit = 0;
  let credit = 0;
  for (const { bucket: b, net, side } of finals.values()) {
    if (net > 0) debit += net;
    else credit -= net;
    let parts = 0;
    for (const role of Object.keys(b.byRole) as Role[]) parts += (b.byRole[role] as Cents) * sign(ROLE_SIDE[role]);
    if (parts !== net || net > 0 !== (side === 'debit'))
      defects.push(`line ${b.account} ${side}: ${formatCents(net)} ≠ its parts ${formatCents(parts)}`);
    const line: JournalLine = {
      account: b.account,
      ...(b.subaccount === undefined ? {} : { subaccount: b.subaccount }),
      side,
      amount: formatCents(net < 0 ? -net : net),
      memo: memo(b),
      mappingKey: b.keys.sort().join(', '),
      ...(b.department === null ? {} : { department: b.department }),
      ...(b.employeeUuid === null ? {} : { employeeUuid: b.employeeUuid }),
    };
    lines.push(line);
  }
  lines.sort(compareLines);
  return { lines, roleTotals, defects, debit, credit };
}

function memo(b: Bucket): string {
  if (b.memo !== undefined) return b.memo.length <= MEMO_MAX ? b.memo : `${b.memo.slice(0, MEMO_MAX - 1)}…`;
  const roles = (Object.keys(b.components) as Role[]).sort((x, y) => ROLES.indexOf(x) - ROLES.indexOf(y));
  let text = roles.map((r) => `${LABEL[r]}: ${(b.components[r] as string[]).sort(cmp).join(', ')}`).join('; ');
  if (b.employeeName !== null) text += ` — ${b.employeeName}`;
  else if (b.department !== null) text += ` — ${b.department}`;
  return text.length <= MEMO_MAX ? text : `${text.slice(0, MEMO_MAX - 1)}…`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareLines(a: JournalLine, b: JournalLine): number {
  return (
    cmp(a.side === 'debit' ? '0' : '1', b.side === 'debit' ? '0' : '1') ||
    cmp(a.employeeUuid ?? '', b.employeeUuid ?? '') ||
    cmp(a.account, b.account) ||
    cmp(a.subaccount ?? '', b.subaccount ?? '') ||
    cmp(a.department ?? '', b.department ?? '') ||
    cmp(a.mappingKey, b.mappingKey) ||
    cmp(a.memo, b.memo)
  );
}
