export { ROLES, ROLE_SIDE, DETAIL_LEVELS, type Role, type DetailLevel, type AccountMapping, type AccountRef } from './account-mapping';
export { parseMapping, mappingReferences, type ParseMappingResult, type MappingReference } from './parse-mapping';
export { resolveAccount, type ResolvedAccount } from './resolve';
