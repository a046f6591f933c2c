/**
 * An Acumatica licence's API limits as a connection records them (SM604000, License tab; reference §6).
 * Both optional: the reference names no per-minute figure for any tier (a trial licence has "no other
 * limits" than 2 API users), so without `requestsPerMinute` requests are not paced per minute, and without
 * `maxConcurrent` the connector keeps its own cap of DEFAULT_MAX_CONCURRENT (reference §6: "keep
 * client-side concurrency ≤ 2").
 */
export interface LicenceLimits {
  /** Maximum Number of Web Services API Requests per Minute, for the whole tenant. */
  requestsPerMinute?: number;
  /** Maximum Number of Concurrent Web Services API Requests ("API processing cores"), for the whole tenant. */
  maxConcurrent?: number;
}

export const DEFAULT_MAX_CONCURRENT = 2;

/** Bounds the admin API accepts (class-validator in the connection DTO). */
export const LICENCE_BOUNDS = {
  requestsPerMinute: { min: 1, max: 1_000_000 },
  maxConcurrent: { min: 1, max: 1_000 },
} as const;

/** Whether this licence needs the instances to share it (anything configured). */
export const isConfigured = (limits: LicenceLimits | undefined): limits is LicenceLimits =>
  limits !== undefined && (limits.requestsPerMinute !== undefined || limits.maxConcurrent !== undefined);
