/** The slice of the service logger the mirror uses; bound in the module to the JSON logger's child. */
export const EMPLOYEE_MIRROR_LOGGER = Symbol('EMPLOYEE_MIRROR_LOGGER');

export interface MirrorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: MirrorLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
