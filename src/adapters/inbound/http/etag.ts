import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
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

/** A refusal that knows the current revision (a stale If-Match) carries it as the ETag too. */
export function etagOnRefusal(res: Response, current: bigint | 'no_stream' | undefined): void {
  if (current !== undefined) res.setHeader('ETag', etagOf(current));
}

/** OpenAPI of a route that takes `If-Match`: the header (`description`: whose ETag) and its 412. */
export const IfMatchDocs = (description: string): MethodDecorator =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description }),
    ApiResponse({
      status: 412,
      description: '`If-Match` names an older revision: the answer names the current one (and carries it as ETag)',
    }),
  );
