import { HttpException } from '@nestjs/common';

/** The one error shape of the HTTP API: `{ "error": <code>, "message", "details"? }`. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super({ error: code, message, ...(details === undefined ? {} : { details }) } satisfies ApiErrorBody, status);
  }
}
