import type { LoggerService } from '@nestjs/common';
import { redact, scrub } from './redact';

export const LOGGER = Symbol('LOGGER');

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go: stdout by default; tests pass an array sink to scan every line. */
export type LogSink = (line: string) => void;
export const stdoutSink: LogSink = (line) => process.stdout.write(line + '\n');

/**
 * One JSON object per line: time, level, context, msg and fields. Secrets are redacted by key name and
 * by value (values registered with `registerSecret`, e.g. the admin token or a decrypted password).
 */
export class JsonLogger implements LoggerService {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = stdoutSink,
    secrets: readonly string[] = [],
  ) {
    secrets.forEach((s) => this.registerSecret(s));
  }

  /** Any later log line that contains this value shows `[redacted]` instead. */
  registerSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}, context?: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const secrets = [...this.secrets];
    const line = {
      time: new Date().toISOString(),
      level,
      ...(context ? { context } : {}),
      msg: scrub(msg, secrets),
      ...(redact(fields, secrets) as Record<string, unknown>),
    };
    this.sink(JSON.stringify(line));
  }

  child(context: string): ContextLogger {
    return new ContextLogger(this, context);
  }

  // NestJS LoggerService: (message, ...optionalParams) where the last string param is the context.
  log(message: unknown, ...params: unknown[]): void {
    this.nest('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.nest('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.nest('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }

  private nest(level: LogLevel, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (params.length === 1 && typeof params[0] === 'string') fields.stack = params[0];
    else if (params.length > 0) fields.params = params;
    if (message instanceof Error) this.write(level, message.message, { ...fields, error: message }, context);
    else if (typeof message === 'object' && message !== null) this.write(level, 'event', { ...fields, ...(message as object) }, context);
    else this.write(level, String(message), fields, context);
  }
}

/** A logger bound to one context (a class or capability name). */
export class ContextLogger {
  constructor(private readonly root: JsonLogger, private readonly context: string) {}
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('debug', msg, fields, this.context);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('info', msg, fields, this.context);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('warn', msg, fields, this.context);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('error', msg, fields, this.context);
  }
}
