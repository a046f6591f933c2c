export {
  ROLES,
  V1_ROLES,
  CASH_ROLES,
  CASH_MODES,
  ENTRY_DATES,
  ROLE_SIDE,
  DETAIL_LEVELS,
  type Role,
  type CashRole,
  type CashMode,
  type EntryDate,
  type DetailLevel,
  type AccountMapping,
  type AccountRef,
} from './account-mapping';
export { parseMapping, mappingReferences, type ParseMappingResult, type MappingReference } from './parse-mapping';
export { resolveAccount, type ResolvedAccount } from './resolve';
