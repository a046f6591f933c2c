/** `$filter`, `$select`, `$expand`, `$top`, `$skip` over a list of records. */
import { checkPaths, evaluate, FilterError, FilterNode, Operand, parseFilter } from './filter';
import { Ctx, send } from './http';
import { render } from './render';
import type { EntitySchema, Rec } from './schema';

export interface ListQuery {
  select?: string[];
  expand: string[];
}

const csv = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

export function readShape(ctx: Ctx): ListQuery {
  return { select: csv(ctx.query.$select), expand: csv(ctx.query.$expand) ?? [] };
}

export const queryError = (ctx: Ctx, message: string): void =>
  send(ctx, 400, {
    message: 'The query specified in the URI is not valid.',
    exceptionMessage: message,
    exceptionType: 'Microsoft.Data.OData.ODataException',
  });

/** Answer a list GET; returns after writing the response (200 or 400). */
export function sendList(ctx: Ctx, entity: string, schema: EntitySchema, records: Rec[]): void {
  let rows = records;
  const q = ctx.query;
  if (q.$filter !== undefined) {
    try {
      const tree = parseFilter(q.$filter);
      checkPaths(tree, schema);
      const linked = linkedPaths(tree);
      if (ctx.optimizationFailsOnLinkedFilter && linked.length > 0) {
        return send(ctx, 500, {
          message: 'An error has occurred.',
          exceptionType: 'PX.Api.ContractBased.OptimizationException',
          exceptionMessage: `Optimization cannot be performed.The following fields cause the error: ${linked.join(', ')}`,
          stackTrace: '',
        });
      }
      rows = rows.filter((r) => evaluate(tree, r));
    } catch (e) {
      if (e instanceof FilterError) return queryError(ctx, e.message);
      throw e;
    }
  }
  for (const p of ['$top', '$skip'] as const) {
    if (q[p] !== undefined && !/^\d+$/.test(q[p]))
      return queryError(ctx, `Invalid value '${q[p]}' for ${p} query option.`);
  }
  const skip = q.$skip !== undefined ? Number(q.$skip) : 0;
  rows = rows.slice(skip, q.$top !== undefined ? skip + Number(q.$top) : undefined);
  const shape = readShape(ctx);
  send(
    ctx,
    200,
    rows.map((r, i) => render(r, schema, { base: ctx.base, entity, ...shape, rowNumber: i + 1 })),
  );
}

function linkedPaths(node: FilterNode): string[] {
  const ops = (o: Operand): string[] => (o.kind === 'path' && o.path.length > 1 ? [o.path.join('/')] : []);
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...linkedPaths(node.left), ...linkedPaths(node.right)];
    case 'not':
      return linkedPaths(node.operand);
    case 'cmp':
      return [...ops(node.left), ...ops(node.right)];
    case 'fn':
      return [...ops(node.field), ...ops(node.text)];
  }
}

export function sendOne(ctx: Ctx, entity: string, schema: EntitySchema, rec: Rec, status = 200): void {
  send(ctx, status, render(rec, schema, { base: ctx.base, entity, ...readShape(ctx), rowNumber: 1 }));
}
