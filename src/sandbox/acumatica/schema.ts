/**
 * Entity schemas of the Default endpoint (the subset the connector uses) and the generic record model:
 * records are stored unwrapped (`Rec`), rendered by `render.ts` and read from requests by `entity-input.ts`.
 */
export type FieldType = 'string' | 'boolean' | 'decimal' | 'int' | 'datetime';
export interface EntitySchema {
  /** DAC name used in "Inserting 'Batch' record raised at least one error." */
  dac: string;
  fields: Record<string, FieldType>;
  linked?: Record<string, EntitySchema>;
  details?: Record<string, EntitySchema>;
  /** graph + view for `_links["files:put"]`; top-level entities also get `_links.self`. */
  files?: { graph: string; view: string };
}
/** decimal fields hold their exact decimal text; datetime fields hold ISO strings. */
export type Scalar = string | boolean | number | null;
export interface Rec {
  id: string;
  f: Record<string, Scalar>;
  linked: Record<string, Rec>;
  details: Record<string, Rec[]>;
  /** field → error text (rendered as `"error"` next to `value`), and the entity-level error. */
  errors?: Record<string, string>;
  error?: string;
}

/** Fields by type, each a space-separated list of names; the result is keyed alphabetically. */
function fields(byType: Partial<Record<FieldType, string>>): Record<string, FieldType> {
  const all: Array<[string, FieldType]> = [];
  for (const [type, names] of Object.entries(byType) as Array<[FieldType, string]>)
    for (const name of names.split(/\s+/).filter(Boolean)) all.push([name, type]);
  return Object.fromEntries(all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const JournalDetailSchema: EntitySchema = {
  dac: 'GLTran',
  fields: fields({
    string:
      'Account BranchID CostCode Description Project ProjectTask ReferenceNbr Subaccount TransactionDescription UOM VendorOrCustomer',
    boolean: 'IsNonPM NonBillable',
    decimal: 'CreditAmount DebitAmount Qty',
    int: 'LineNbr ProjectTransactionID',
  }),
  files: { graph: 'PX.Objects.GL.JournalEntry', view: 'GLTranModuleBatNbr' },
};
export const JournalSchema: EntitySchema = {
  dac: 'Batch',
  fields: fields({
    string: 'BatchNbr BranchID CurrencyID Description LedgerID Module PostPeriod Status',
    boolean: 'Hold',
    datetime: 'CreatedDateTime LastModifiedDateTime TransactionDate',
  }),
  details: { Details: JournalDetailSchema },
  files: { graph: 'PX.Objects.GL.JournalEntry', view: 'BatchModule' },
};
export const AccountSchema: EntitySchema = {
  dac: 'Account',
  fields: fields({
    string:
      'AccountCD AccountClass AccountGroup ConsolidationAccount CurrencyID Description PostOption RevaluationRateType TaxCategory Type',
    boolean: 'Active CashAccount RequireUnits Secured UseDefaultSubaccount',
    int: 'AccountID ChartOfAccountsOrder',
    datetime: 'CreatedDateTime LastModifiedDateTime',
  }),
  files: { graph: 'PX.Objects.GL.AccountMaint', view: 'AccountRecords' },
};
export const SubaccountSchema: EntitySchema = {
  dac: 'Sub',
  fields: fields({
    string: 'Description SubaccountCD',
    boolean: 'Active Secured',
    int: 'SubaccountID',
    datetime: 'LastModifiedDateTime',
  }),
  files: { graph: 'PX.Objects.GL.SubAccountMaint', view: 'SubRecords' },
};
const AddressSchema: EntitySchema = {
  dac: 'Address',
  fields: fields({ string: 'AddressLine1 AddressLine2 City Country PostalCode State' }),
};
export const EmployeeSchema: EntitySchema = {
  dac: 'EPEmployee',
  fields: fields({ string: 'EmployeeID EmployeeName Status', datetime: 'LastModifiedDateTime' }),
  linked: {
    ContactInfo: {
      dac: 'Contact',
      linked: { Address: AddressSchema },
      fields: fields({
        string:
          'Email Fax FaxType FirstName LastName MiddleName Phone1 Phone1Type Phone2 Phone2Type Phone3 Phone3Type Title WebSite',
        datetime: 'DateOfBirth',
      }),
    },
    EmployeeSettings: {
      dac: 'EPEmployee',
      fields: fields({
        string:
          'BranchID Calendar CurrencyID CurrencyRateTypeID DepartmentID EmployeeClass EmployeeRefNbr LaborItem RegularHoursValidation ReportsTo Salesperson UnionLocalID',
        boolean: 'EnableCurrencyOverride EnableRateOverride RouteEmails TimeCardIsRequired',
      }),
    },
    FinancialSettings: {
      dac: 'EPEmployee',
      fields: fields({
        string:
          'APAccount APSubaccount CashAccount ExpenseAccount ExpenseSubaccount PaymentMethod PrepaymentAccount PrepaymentSubaccount SalesAccount SalesSubaccount TaxZone Terms',
      }),
    },
  },
  details: {
    EmploymentHistory: {
      dac: 'EPEmployeePosition',
      fields: fields({
        string: 'PositionID StartReason TerminationReason',
        boolean: 'Active RehireEligible Terminated',
        int: 'LineNbr',
        datetime: 'EndDate StartDate',
      }),
    },
  },
  files: { graph: 'PX.Objects.EP.EmployeeMaint', view: 'Employee' },
};

/** An empty record of a schema (all fields null, linked entities created, no detail lines). */
export function emptyRec(schema: EntitySchema, newId: () => string): Rec {
  const rec: Rec = { id: newId(), f: {}, linked: {}, details: {} };
  for (const k of Object.keys(schema.fields)) rec.f[k] = null;
  for (const [k, ls] of Object.entries(schema.linked ?? {})) rec.linked[k] = emptyRec(ls, newId);
  for (const k of Object.keys(schema.details ?? {})) rec.details[k] = [];
  return rec;
}
