/** Request context and the response writers every handler uses (JSON, HttpError bodies, faults). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyJson } from './json';
import type { AuthKind, RecordedRequest } from './types';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** URL path, decoded per segment later by the router. */
  path: string;
  query: Record<string, string>;
  rawBody: string;
  auth: AuthKind;
  sessionId?: string;
  record: RecordedRequest;
  /** `commit_then_drop`: run the handler, then destroy the socket instead of answering. */
  dropInsteadOfAnswer?: boolean;
  /** knob snapshot: list queries filtering on linked-entity fields answer 500 "Optimization cannot be performed". */
  optimizationFailsOnLinkedFilter?: boolean;
  /** `/entity/Default/24.200.001` for the request being served. */
  base: string;
  version: string;
}

export function send(ctx: Ctx, status: number, body?: unknown, headers: Record<string, string | string[]> = {}): void {
  if (ctx.dropInsteadOfAnswer) {
    ctx.record.status = 0;
    if (!ctx.record.dropped) ctx.record.fault = 'commit_then_drop';
    ctx.req.socket.destroy();
    return;
  }
  ctx.record.status = status;
  const h: Record<string, string | string[]> = { ...headers };
  let payload = '';
  if (typeof body === 'string') {
    payload = body;
    h['Content-Type'] ??= 'text/plain; charset=utf-8';
  } else if (body !== undefined) {
    payload = stringifyJson(body);
    h['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  h['Content-Length'] = String(Buffer.byteLength(payload));
  ctx.res.writeHead(status, h);
  ctx.res.end(payload);
}

/** ASP.NET Web API `HttpError` body. */
export function httpError(exceptionMessage: string, exceptionType = 'PX.Data.PXException'): Record<string, string> {
  return {
    message: 'An error has occurred.',
    exceptionMessage,
    exceptionType,
    stackTrace: '   at PX.Api.ContractBased… (sandbox)',
  };
}

export function sendError(ctx: Ctx, status: number, exceptionMessage: string, exceptionType?: string): void {
  send(ctx, status, httpError(exceptionMessage, exceptionType));
}

export const notFoundByKey = (ctx: Ctx): void =>
  send(
    ctx,
    500,
    httpError('No entity satisfies the condition.', 'PX.Api.ContractBased.NoEntitySatisfiesTheConditionException'),
  );

export const notLoggedIn = (ctx: Ctx): void => send(ctx, 401, { message: 'You are not logged in.' });

/** 400 for a body that does not deserialize (unwrapped values, bad JSON): ModelState like ASP.NET. */
export const invalidRequest = (ctx: Ctx, modelState: Record<string, string[]>): void =>
  send(ctx, 400, { message: 'The request is invalid.', modelState });

/** The 429 body of the best-known fixture (text/plain; body is not documented). */
export const OPAQUE_429 = 'The custom error module does not recognize this error.';
