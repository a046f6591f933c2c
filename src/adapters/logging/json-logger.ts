import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import { censor, REDACT_PATHS, scrubLine } from './log-redaction';

export const LOGGER = Symbol('LOGGER');

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: stdout by default; tests pass an array sink to scan every line. */
export type LogSink = (line: string) => void;
export const stdoutSink: LogSink = (line) => process.stdout.write(line + '\n');

/** An Error under `error` keeps its name, message and stack (JSON would make it `{}`). */
const errorField = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;

/**
 * One JSON object per line, written by pino: time (ISO), level (its name), context, msg and fields.
 * Secrets are redacted by key name (pino `redact` paths) and by value (values registered with
 * `registerSecret`, e.g. the admin token or a decrypted password, cut out of the finished line).
 */
export class JsonLogger implements LoggerService {
  private readonly secrets = new Set<string>();
  private readonly pino: Pino;
  private readonly contexts = new Map<string, Pino>();

  constructor(level: LogLevel = 'info', sink: LogSink = stdoutSink, secrets: readonly string[] = []) {
    secrets.forEach((s) => this.registerSecret(s));
    this.pino = pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        serializers: { error: errorField },
        redact: { paths: REDACT_PATHS, censor },
        depthLimit: 8,
      },
      { write: (line: string) => sink(scrubLine(line.endsWith('\n') ? line.slice(0, -1) : line, this.secrets)) },
    );
  }

  /** Any later log line that contains this value shows `[redacted]` instead. */
  registerSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}, context?: string): void {
    // msg leads the fields (as it always has: readers match `"msg":"…".*"port"`); a field named msg wins, as before.
    this.forContext(context)[level]({ msg, ...fields });
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

  private forContext(context: string | undefined): Pino {
    if (!context) return this.pino;
    let logger = this.contexts.get(context);
    if (!logger) this.contexts.set(context, (logger = this.pino.child({ context })));
    return logger;
  }

  private nest(level: LogLevel, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (params.length === 1 && typeof params[0] === 'string') fields.stack = params[0];
    else if (params.length > 0) fields.params = params;
    if (message instanceof Error) this.write(level, message.message, { ...fields, error: message }, context);
    else if (typeof message === 'object' && message !== null)
      this.write(level, 'event', { ...fields, ...(message as object) }, context);
    else this.write(level, String(message), fields, context);
  }
}

/** A logger bound to one context (a class or capability name). */
export class ContextLogger {
  constructor(
    private readonly root: JsonLogger,
    private readonly context: string,
  ) {}
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
