import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiErrorBody } from './api-error';
import type { JsonLogger } from '../../logging/json-logger';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Every error leaves as `{ error, message, details? }`; an unexpected one is logged and answered 500 without internals. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<{ method?: string; originalUrl?: string }>();
    const { status, body } = this.toBody(exception);
    if (status >= 500) {
      this.logger.write(
        'error',
        'request failed',
        { method: req.method, path: req.originalUrl?.split('?')[0], status, error: exception },
        'http',
      );
    }
    if (!res.headersSent) res.status(status).json(body);
  }

  private toBody(exception: unknown): { status: number; body: ApiErrorBody } {
    // body-parser errors (too large, bad JSON) are plain errors with a status.
    const parserStatus = (exception as { status?: number; type?: string })?.status;
    if (
      !(exception instanceof HttpException) &&
      typeof parserStatus === 'number' &&
      parserStatus >= 400 &&
      parserStatus < 500
    ) {
      const type = (exception as { type?: string }).type;
      if (type === 'entity.too.large')
        return { status: 413, body: { error: 'payload_too_large', message: 'request body is over 1 MiB' } };
      return { status: parserStatus, body: { error: 'malformed_body', message: (exception as Error).message } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (
        typeof response === 'object' &&
        response !== null &&
        typeof (response as ApiErrorBody).error === 'string' &&
        'message' in response &&
        !('statusCode' in response)
      ) {
        return { status, body: response as ApiErrorBody };
      }
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      return { status, body: { error: CODE_BY_STATUS[status] ?? 'error', message } };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: 'internal_error', message: 'unexpected error; see the service log' },
    };
  }
}
