/** node:http plumbing shared by the route files: the request context, JSON answers, Gusto error bodies, paging. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './model';
import type { World } from './world';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  record: RecordedRequest;
  world: World;
  /** Headers added to whatever answer is sent. */
  headers: Record<string, string>;
}

export const send = (ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  ctx.record.status = status;
  if (ctx.res.headersSent) return;
  const all: Record<string, string> = { ...ctx.headers, ...headers };
  if (body === undefined) {
    ctx.res.writeHead(status, all);
    ctx.res.end();
    return;
  }
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...all,
  });
  ctx.res.end(text);
};

/** Gusto's documented error shape (reference §6.4). */
export const gustoError = (
  category: string,
  message: string,
  errorKey = 'base',
  metadata?: Record<string, unknown>,
): unknown => ({
  errors: [{ error_key: errorKey, category, message, ...(metadata ? { metadata } : {}) }],
});

export const sendError = (
  ctx: Ctx,
  status: number,
  category: string,
  message: string,
  errorKey = 'base',
  metadata?: Record<string, unknown>,
): void => send(ctx, status, gustoError(category, message, errorKey, metadata));

export const notFound = (ctx: Ctx, what = 'Resource'): void =>
  sendError(ctx, 404, 'not_found', `${what} not found`, 'request');

export const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** JSON (always, when jsonOnly) or application/x-www-form-urlencoded body → flat object; null when it cannot be parsed. */
export const parseBody = (ctx: Ctx, jsonOnly = false): Record<string, unknown> | null => {
  const text = ctx.rawBody.trim();
  if (text === '') return {};
  const type = ctx.req.headers['content-type'] ?? '';
  if (!jsonOnly && type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export const csv = (value: string | null): string[] | null =>
  value === null
    ? null
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export interface PageRequest {
  page: number;
  per: number;
}

/** page/per from the query; null page/per means "not sent". Throws on a non-positive or non-integer value. */
export const pageParams = (query: URLSearchParams): { page: number | null; per: number | null } => {
  const num = (name: string): number | null => {
    const raw = query.get(name);
    if (raw === null || raw === '') return null;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new PagingError(`${name} must be a positive integer`);
    return n;
  };
  return { page: num('page'), per: num('per') };
};

export class PagingError extends Error {}

/** Slices one page and sets X-Page, X-Per-Page, X-Total-Count, X-Total-Pages (no Link header: none is documented). */
export const paginate = <T>(ctx: Ctx, items: readonly T[], page: PageRequest): T[] => {
  ctx.headers['X-Page'] = String(page.page);
  ctx.headers['X-Per-Page'] = String(page.per);
  ctx.headers['X-Total-Count'] = String(items.length);
  ctx.headers['X-Total-Pages'] = String(Math.ceil(items.length / page.per));
  return items.slice((page.page - 1) * page.per, page.page * page.per);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
