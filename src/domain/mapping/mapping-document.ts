/**
 * The mapping document's shape, as class-validator classes. The dynamic-key parts (`accounts`,
 * `subaccountsByDepartment`, `employees.departments`) are checked entry by entry in `parse-mapping.ts`,
 * and so are the nested objects (class-transformer's `@Type` needs reflect-metadata, which the domain
 * does not import).
 */
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  CASH_MODES,
  DETAIL_LEVELS,
  ENTRY_DATES,
  type CashMode,
  type DetailLevel,
  type EntryDate,
} from './account-mapping';

/** An optional object whose entries parse-mapping.ts checks: here only "an object, when present". */
const OptionalObject =
  (message: string): PropertyDecorator =>
  (target, key) => {
    // As `@IsOptional() @IsObject(…)` stacked: TypeScript applies the lower one first.
    IsObject({ message })(target, key);
    IsOptional()(target, key);
  };

export const NON_EMPTY = 'must be a non-empty string';
const nonEmpty = { message: NON_EMPTY };

export class AccountEntryDocument {
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  account: string;

  @IsOptional()
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  subaccount?: string;
}

export class JournalSettingsDocument {
  @IsOptional()
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  branch?: string;

  @IsOptional()
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  ledger?: string;

  @IsIn(DETAIL_LEVELS as unknown as string[], { message: `must be one of ${DETAIL_LEVELS.join(', ')}` })
  detail: DetailLevel;

  @IsBoolean({ message: 'must be true or false' })
  release: boolean;

  // Added after v1; each optional, and absent means exactly what a v1 mapping means.
  @IsOptional()
  @IsIn(CASH_MODES as unknown as string[], { message: `must be one of ${CASH_MODES.join(', ')}` })
  cash?: CashMode;

  @IsOptional()
  @IsIn(ENTRY_DATES as unknown as string[], { message: `must be one of ${ENTRY_DATES.join(', ')}` })
  entryDate?: EntryDate;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  splitLiabilitiesByDepartment?: boolean;

  /** `{ enabled }`, checked in parse-mapping.ts (nested). */
  @OptionalObject('must be an object { enabled }')
  accrual?: Record<string, unknown>;

  /** `{ toleranceCents }`, checked in parse-mapping.ts (nested). */
  @OptionalObject('must be an object { toleranceCents }')
  rounding?: Record<string, unknown>;
}

export class AccrualSettingsDocument {
  @IsBoolean({ message: 'must be true or false' })
  enabled: boolean;
}

export class RoundingSettingsDocument {
  @IsInt({ message: 'must be a whole number of cents from 0 to 10000' })
  @Min(0, { message: 'must be a whole number of cents from 0 to 10000' })
  @Max(10000, { message: 'must be a whole number of cents from 0 to 10000' })
  toleranceCents: number;
}

export class EmployeeSettingsDocument {
  /** Optional: without it, an employee whose Gusto department is not mapped is reported, not mirrored. */
  @IsOptional()
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  defaultDepartment?: string;

  @OptionalObject('must be an object of department name → Acumatica department')
  departments?: Record<string, string>;

  @IsOptional()
  @IsString(nonEmpty)
  @IsNotEmpty(nonEmpty)
  employeeClass?: string;

  /** What to do when an Acumatica employee was edited by hand and disagrees with Gusto. */
  @IsOptional()
  @IsIn(['flag', 'overwrite'], { message: 'must be one of flag, overwrite' })
  driftPolicy?: 'flag' | 'overwrite';
}

export class MappingDocument {
  @IsObject({ message: 'must be an object' })
  journal: Record<string, unknown>;

  @IsObject({ message: 'must be an object of key → { account, subaccount? }' })
  accounts: Record<string, unknown>;

  @OptionalObject('must be an object of department name → subaccount')
  subaccountsByDepartment?: Record<string, unknown>;

  @OptionalObject('must be an object')
  employees?: Record<string, unknown>;
}

/** The keys each object may carry: anything else is reported as an unknown key. */
export const KNOWN_KEYS = {
  document: ['journal', 'accounts', 'subaccountsByDepartment', 'employees'],
  journal: [
    'branch',
    'ledger',
    'detail',
    'release',
    'cash',
    'entryDate',
    'splitLiabilitiesByDepartment',
    'rounding',
    'accrual',
  ],
  rounding: ['toleranceCents'],
  accrual: ['enabled'],
  employees: ['defaultDepartment', 'departments', 'employeeClass', 'driftPolicy'],
  account: ['account', 'subaccount'],
} as const;
