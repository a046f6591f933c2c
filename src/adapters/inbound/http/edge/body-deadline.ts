import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { HttpEdgeSettings } from '../../../../config/app-config';

/**
 * A request body must arrive within `ms` of its headers: a client trickling bytes (slowloris) is answered
 * 408 and its connection closed, instead of holding a socket and a parser for minutes. Node's own
 * `requestTimeout` is the backstop (checked only every 30 s), this is the precise cut.
 */
export function bodyDeadline(ms: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res.status(408).json({
        error: 'request_timeout',
        message: `the request body did not arrive within ${ms} ms; the connection is closed`,
      });
      res.once('finish', () => req.socket.destroy());
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('close', clear);
    next();
  };
}

/** Node's own limits on the server: headers within `headersTimeoutMs`, the whole request within the body deadline plus headers. */
export function applyServerTimeouts(
  server: Server,
  settings: Pick<HttpEdgeSettings, 'headersTimeoutMs' | 'bodyTimeoutMs'>,
): void {
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.headersTimeoutMs + settings.bodyTimeoutMs;
}
