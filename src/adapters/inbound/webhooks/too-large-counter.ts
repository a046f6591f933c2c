import type { NextFunction, Request, Response } from 'express';

/**
 * An Express error handler that only counts: a body over the limit is refused by the raw parser before
 * any controller runs, so this is the one place that sees it. It passes the error on untouched, and the
 * global filter answers 413 as for any other route.
 */
export function tooLargeCounter(count: () => void) {
  return (error: unknown, req: Request, _res: Response, next: NextFunction): void => {
    if (
      (error as { type?: string })?.type === 'entity.too.large' &&
      req.originalUrl.split('?')[0].startsWith('/webhooks/gusto')
    )
      count();
    next(error);
  };
}
