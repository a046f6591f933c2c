/** Routes under `/entity/{endpoint}/{version}/…` after authentication, licence and version checks. */
import { Ctx, invalidRequest, notFoundByKey, send, sendError } from './http';
import type { Employees } from './employee';
import type { Journals } from './journal';
import { JsonSyntaxError, JsonValue, parseJson } from './json';
import { financialPeriods } from './period';
import { sendList, sendOne } from './query';
import { EntityInput, parseInput } from './entity-input';
import { AccountSchema, EntitySchema, SubaccountSchema } from './schema';
import type { Store } from './store';
import type { SandboxKnobs } from './types';

export interface EntityRouterDeps {
  store: Store;
  knobs: SandboxKnobs;
  journals: Journals;
  employees: Employees;
}

/** Parse a JSON body (exact numbers); answers 400 and returns undefined when it doesn't deserialize. */
function body(ctx: Ctx): JsonValue | undefined {
  try {
    return parseJson(ctx.rawBody === '' ? '{}' : ctx.rawBody);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    invalidRequest(ctx, { entity: [e.message] });
    return undefined;
  }
}

function entityBody(ctx: Ctx, schema: EntitySchema): EntityInput | undefined {
  const raw = body(ctx);
  if (raw === undefined) return undefined;
  const modelState: Record<string, string[]> = {};
  const input = parseInput(raw, schema, modelState);
  if (Object.keys(modelState).length > 0) {
    invalidRequest(ctx, modelState);
    return undefined;
  }
  return input;
}

const methodNotAllowed = (ctx: Ctx): void =>
  send(ctx, 405, { message: 'The requested resource does not support this http method.' });

/** `rest` = path segments after the version: `[Entity, ...keys]`. */
export function routeEntity(ctx: Ctx, rest: string[], d: EntityRouterDeps): void {
  const [entity, ...keys] = rest;
  const m = ctx.method;
  switch (entity) {
    case 'JournalTransaction': {
      if (keys[0] === 'ReleaseJournalTransaction') {
        if (m === 'POST' && keys.length === 1) {
          const b = body(ctx);
          return b === undefined ? undefined : d.journals.release(ctx, b);
        }
        if (m === 'GET' && keys[1] === 'status' && keys.length === 3) return d.journals.status(ctx, keys[2]);
        return methodNotAllowed(ctx);
      }
      return routeRecords(ctx, keys, d.journals);
    }
    case 'Employee':
      return routeRecords(ctx, keys, d.employees);
    case 'FinancialPeriod':
      return ctx.method === 'GET' ? financialPeriods(ctx, keys, d.knobs.closedPeriods) : methodNotAllowed(ctx);
    case 'Account':
      return readOnly(ctx, keys, 'Account', AccountSchema, d.store.accounts, 'AccountCD');
    case 'Subaccount':
      if (!d.knobs.subaccountsFeature)
        return sendError(
          ctx,
          403,
          'You have insufficient rights to access the object (Subaccount).',
          'PX.Data.PXException',
        );
      return readOnly(ctx, keys, 'Subaccount', SubaccountSchema, d.store.subaccounts, 'SubaccountCD');
    default:
      return notFound(ctx);
  }
}

/** An entity that is written: GET lists or reads by key, PUT creates/updates, POST on a key is no action (404). */
function routeRecords(ctx: Ctx, keys: string[], records: Journals | Employees): void {
  const m = ctx.method;
  if (m === 'GET') return keys.length === 0 ? records.list(ctx) : records.get(ctx, keys);
  if (m === 'PUT' && keys.length === 0) {
    const input = entityBody(ctx, records.schema);
    return input && records.put(ctx, input);
  }
  if (m === 'POST' && keys.length === 1) return notFound(ctx);
  return methodNotAllowed(ctx);
}

function readOnly(
  ctx: Ctx,
  keys: string[],
  entity: string,
  schema: EntitySchema,
  recs: Store['accounts'],
  keyField: string,
): void {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  if (keys.length === 0) return sendList(ctx, entity, schema, recs);
  const rec = keys.length === 1 ? recs.find((r) => r.f[keyField] === keys[0] || r.id === keys[0]) : undefined;
  if (!rec) return notFoundByKey(ctx);
  sendOne(ctx, entity, schema, rec);
}

export const notFound = (ctx: Ctx): void =>
  send(ctx, 404, { message: `No HTTP resource was found that matches the request URI '${ctx.path}'.` });
