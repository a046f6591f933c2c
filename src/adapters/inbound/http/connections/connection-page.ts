import type { ConnectionView } from '../../../../application/connections/connection.service';
import { ApiError } from '../api-error';

export const MAX_PAGE = 500;

/**
 * GET /api/connections paging. Without `limit` and `after` the v1 answer: every connection, `next: null`.
 * With them: at most `limit` (1–500, default 100 when only `after` is given), oldest first, and `next` the
 * cursor to pass as `after` (opaque: base64url of the last item's creation time and id), null at the end.
 */
export function pageOf(
  items: ConnectionView[],
  limit: unknown,
  after: unknown,
): { items: ConnectionView[]; next: string | null } {
  if (limit === undefined && after === undefined) return { items, next: null };
  const size = limit === undefined ? 100 : parseLimit(limit);
  const from = after === undefined ? undefined : parseCursor(after);
  const rest = from ? items.filter((c) => compare([c.createdAt, c.id], from) > 0) : items;
  const page = rest.slice(0, size);
  const last = page[page.length - 1];
  return { items: page, next: rest.length > size && last ? cursorOf(last) : null };
}

const cursorOf = (c: ConnectionView): string => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

const compare = (a: [string, string], b: [string, string]): number =>
  a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);

function parseLimit(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE))
    throw new ApiError(400, 'validation_failed', `limit must be a whole number from 1 to ${MAX_PAGE}`, [
      `limit: must be a whole number from 1 to ${MAX_PAGE}`,
    ]);
  return n;
}

function parseCursor(raw: unknown): [string, string] {
  try {
    if (typeof raw !== 'string' || raw.length > 200) throw new Error('not a cursor');
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string'))
      return parsed as [string, string];
  } catch {
    // answered below
  }
  throw new ApiError(400, 'validation_failed', 'after must be the `next` cursor of a previous page', [
    'after: must be a cursor from a previous answer',
  ]);
}
