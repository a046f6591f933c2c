import { ApiError } from './api-error';

/** A stream's revision as a strong ETag (`"-1"` for a stream with no events). */
export const etagOf = (revision: bigint | 'no_stream'): string =>
  `"${revision === 'no_stream' ? -1 : revision.toString()}"`;

/**
 * `"7"` or `W/"7"` → 7n; absent or `*` → no condition; anything else is a 400 naming the header.
 * `source`: where the client gets the ETag, for the error message (e.g. "GET /api/connections/:id").
 */
export function revisionFromIfMatch(header: string | undefined, source: string): bigint | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,18})"\s*$/.exec(header);
  if (!match) throw new ApiError(400, 'invalid_if_match', `If-Match must be the ETag of ${source}, e.g. "3"`);
  return BigInt(match[1]);
}
