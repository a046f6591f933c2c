/** The tenant's data: records of every entity, sequences, and the seeded reference lists. */
import { randomUUID } from 'node:crypto';
import { AccountSchema, EmployeeSchema, emptyRec, EntitySchema, Rec, Scalar, SubaccountSchema } from './schema';
import * as seed from './seed';
import { required } from '../../domain/shared/required';

export type Plain = { id: string; [field: string]: unknown };
type S = string | null;
type B = boolean | null;
type N = number | null;
/** Typed views of `records.*()` rows (decimals are exact strings like `"24000.00"`, dates ISO strings). */
export interface JournalLineRecord extends Plain {
  LineNbr: N;
  Account: S;
  Subaccount: S;
  BranchID: S;
  DebitAmount: S;
  CreditAmount: S;
  TransactionDescription: S;
  /** the account's description (read-only echo) */
  Description: S;
  ReferenceNbr: S;
}
export interface JournalRecord extends Plain {
  BatchNbr: S;
  Module: S;
  Status: S;
  Hold: B;
  Description: S;
  BranchID: S;
  LedgerID: S;
  CurrencyID: S;
  PostPeriod: S;
  TransactionDate: S;
  CreatedDateTime: S;
  LastModifiedDateTime: S;
  Details: JournalLineRecord[];
}
export interface EmploymentHistoryRecord extends Plain {
  LineNbr: N;
  PositionID: S;
  StartDate: S;
  StartReason: S;
  EndDate: S;
  Active: B;
  Terminated: B;
  TerminationReason: S;
  RehireEligible: B;
}
export interface EmployeeRecord extends Plain {
  EmployeeID: S;
  EmployeeName: S;
  Status: S;
  LastModifiedDateTime: S;
  ContactInfo: Plain & { FirstName: S; MiddleName: S; LastName: S; Email: S; Title: S; Address: Plain };
  EmployeeSettings: Plain & { BranchID: S; DepartmentID: S; EmployeeClass: S; EmployeeRefNbr: S };
  FinancialSettings: Plain;
  EmploymentHistory: EmploymentHistoryRecord[];
}
export interface AccountRecord extends Plain {
  AccountCD: S;
  AccountID: N;
  Active: B;
  Description: S;
  Type: S;
  AccountClass: S;
  CashAccount: B;
  LastModifiedDateTime: S;
}
export interface SubaccountRecord extends Plain {
  SubaccountCD: S;
  SubaccountID: N;
  Active: B;
  Description: S;
  LastModifiedDateTime: S;
}

/** Unwrapped copy of a record: fields at top, linked entities nested, detail lines as arrays. */
export function plain(rec: Rec): Plain {
  const out: Plain = { id: rec.id, ...rec.f };
  for (const [k, l] of Object.entries(rec.linked)) out[k] = plain(l);
  for (const [k, lines] of Object.entries(rec.details)) out[k] = lines.map(plain);
  return out;
}

export class Store {
  readonly journals: Rec[] = [];
  readonly employees: Rec[] = [];
  readonly accounts: Rec[] = [];
  readonly subaccounts: Rec[] = [];
  readonly departments = new Set(seed.SEED_DEPARTMENTS);
  readonly branches = new Set(seed.SEED_BRANCHES);
  readonly ledgers = new Set(seed.SEED_LEDGERS);
  readonly employeeClasses = new Set(seed.SEED_EMPLOYEE_CLASSES);
  private batchSeq = 0;
  private employeeSeq = 0;

  constructor(private readonly now: () => Date) {
    seed.SEED_ACCOUNTS.forEach((a, i) => {
      const rec = this.newRec(AccountSchema);
      const at = new Date(Date.parse(seed.SEED_TIME) + i * 1000).toISOString();
      Object.assign(rec.f, {
        AccountCD: a.cd,
        AccountClass: a.accountClass,
        AccountID: 1000 + i,
        Active: a.active ?? true,
        CashAccount: a.cash ?? false,
        ChartOfAccountsOrder: i + 1,
        CreatedDateTime: at,
        Description: a.description,
        LastModifiedDateTime: at,
        PostOption: 'Detail',
        RequireUnits: false,
        Secured: false,
        Type: a.type,
        UseDefaultSubaccount: false,
      } satisfies Record<string, Scalar>);
      this.accounts.push(rec);
    });
    seed.SEED_SUBACCOUNTS.forEach((s, i) => {
      const rec = this.newRec(SubaccountSchema);
      Object.assign(rec.f, {
        SubaccountCD: s.cd,
        SubaccountID: 500 + i,
        Description: s.description,
        Active: s.active ?? true,
        Secured: false,
        LastModifiedDateTime: seed.SEED_TIME,
      });
      this.subaccounts.push(rec);
    });
    for (const e of seed.SEED_EMPLOYEES) {
      const rec = this.newRec(EmployeeSchema);
      rec.f.EmployeeID = this.nextEmployeeId();
      rec.f.EmployeeName = `${e.first} ${e.last}`;
      rec.f.Status = 'Active';
      rec.f.LastModifiedDateTime = seed.SEED_TIME;
      Object.assign(rec.linked.ContactInfo.f, { FirstName: e.first, LastName: e.last, Email: e.email });
      Object.assign(rec.linked.EmployeeSettings.f, {
        BranchID: 'HEADOFFICE',
        DepartmentID: e.department,
        EmployeeClass: 'EMPSTAND',
        Calendar: 'MAIN',
        CurrencyID: 'USD',
        CurrencyRateTypeID: 'SPOT',
        EnableCurrencyOverride: false,
        EnableRateOverride: false,
        RegularHoursValidation: 'Validate',
        RouteEmails: false,
        TimeCardIsRequired: false,
      });
      const line = this.newRec(required(EmployeeSchema.details, 'the employee details').EmploymentHistory);
      Object.assign(line.f, {
        LineNbr: 1,
        PositionID: 'STAFF',
        StartDate: `${e.start}T00:00:00.000Z`,
        StartReason: 'New Hire',
        Active: true,
        Terminated: false,
        RehireEligible: false,
      });
      rec.details.EmploymentHistory.push(line);
      this.employees.push(rec);
    }
  }

  newId(): string {
    return randomUUID();
  }
  newRec(schema: EntitySchema): Rec {
    return emptyRec(schema, () => this.newId());
  }
  nowIso(): string {
    return this.now().toISOString();
  }
  nextBatchNbr(): string {
    this.batchSeq += 1;
    return String(this.batchSeq).padStart(6, '0');
  }
  nextEmployeeId(): string {
    this.employeeSeq += 1;
    return `EP${String(this.employeeSeq).padStart(8, '0')}`;
  }
  account(cd: string | null | undefined): Rec | undefined {
    return cd == null ? undefined : this.accounts.find((a) => a.f.AccountCD === cd);
  }
  subaccount(cd: string | null | undefined): Rec | undefined {
    return cd == null ? undefined : this.subaccounts.find((s) => s.f.SubaccountCD === cd);
  }
  setAccountActive(cd: string, active: boolean): void {
    const a = this.account(cd);
    if (!a) throw new Error(`No account ${cd} in the sandbox`);
    a.f.Active = active;
    a.f.LastModifiedDateTime = this.nowIso();
  }
  setSubaccountActive(cd: string, active: boolean): void {
    const s = this.subaccount(cd);
    if (!s) throw new Error(`No subaccount ${cd} in the sandbox`);
    s.f.Active = active;
    s.f.LastModifiedDateTime = this.nowIso();
  }
}
