import { ApiError } from './api-error';

/** An optional `limit` query: a positive whole number (400 `validation_failed` otherwise); absent → undefined. */
export function positiveLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new ApiError(400, 'validation_failed', 'limit must be a positive whole number', [
      'limit: must be a positive integer',
    ]);
  return Number(raw);
}
